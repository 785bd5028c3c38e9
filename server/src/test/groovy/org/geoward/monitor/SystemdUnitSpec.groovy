package org.geoward.monitor

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import spock.lang.IgnoreIf
import spock.lang.Specification

/**
 * The systemd unit the repository ships (deploy/geoward.service) is one systemd accepts without a complaint, and it
 * starts what this build is: the main class, the exit code of a wrong setting, the data directory.
 */
class SystemdUnitSpec extends Specification {
    static final Path UNIT = Path.of(System.getProperty("user.dir")).resolveSibling("deploy").resolve("geoward.service")

    @IgnoreIf({ !new File("/usr/bin/systemd-analyze").canExecute() })
    def "systemd-analyze verify #says about #which"() {
        given:
        Path dir = Files.createTempDirectory("geoward-unit")
        Path unit = dir.resolve("geoward.service")
        Files.writeString(unit, edit(Files.readString(UNIT)))

        when:
        def process = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start()
        String output = process.inputStream.text.trim()
        assert process.waitFor(60, TimeUnit.SECONDS)

        then:
        process.exitValue() == 0
        output.isEmpty() == clean

        cleanup:
        dir?.toFile()?.deleteDir()

        where:
        which                           | edit                                                     || clean | says
        'the shipped unit'              | { String u -> u }                                        || true  | 'nothing'
        'a unit with a misspelt option' | { String u -> u.replace('Restart=on-failure', 'Restart=sometimes') } || false | 'a complaint'
    }

    def "the unit runs this build's main class with the settings' exit code and the data directory"() {
        given:
        Map<String, List<String>> unit = [:].withDefault { [] }
        Files.readAllLines(UNIT).findAll { it && !it.startsWith('#') && it.contains('=') }.each {
            int eq = it.indexOf('=')
            unit[it.substring(0, eq)] << it.substring(eq + 1)
        }

        expect:
        unit.ExecStart[0].contains(org.geoward.Application.name)
        unit.RestartPreventExitStatus == ['2']
        unit.Environment.contains('GEOWARD_DATA_DIR=/var/lib/geoward')
        unit.User == ['geoward']
        unit.EnvironmentFile == ['/etc/geoward/geoward.env']
    }
}
