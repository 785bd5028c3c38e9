package org.geoward

import java.nio.file.Path
import java.util.concurrent.TimeUnit
import spock.lang.Specification

/** A wrong setting stops the server at once with one line naming it and what it should be, never a stack trace. */
class StartupCheckSpec extends Specification {

    def "#name=#value is refused: #expected"() {
        expect:
        StartupCheck.problems([(name): value]) == ["$name is $shown: it should be $expected".toString()]

        where:
        name                    | value              || shown                | expected
        'GEOWARD_PORT'          | 'eighty'           || "'eighty'"           | 'a TCP port 0-65535 (0 or -1 = any free port)'
        'GEOWARD_PORT'          | '70000'            || "'70000'"            | 'a TCP port 0-65535 (0 or -1 = any free port)'
        'GEOWARD_OSMAND_PORT'   | '-2'               || "'-2'"               | 'a TCP port 0-65535, or -1 to turn the OsmAnd door off'
        'GEOWARD_DB_POOL'       | '0'                || "'0'"                | 'a number of connections, 1-1000'
        'GEOWARD_TOKEN_SECONDS' | '12h'              || "'12h'"              | 'seconds, 60 (a minute) to 31536000 (a year)'
        'GEOWARD_JWT_SECRET'    | 'short'            || '(5 characters)'     | 'at least 32 characters'
        'GEOWARD_METRICS_TOKEN' | 'abc'              || '(3 characters)'     | 'at least 16 characters (a random string)'
        'GEOWARD_LOG_LEVEL'     | 'LOUD'             || "'LOUD'"             | 'one of [TRACE, DEBUG, INFO, WARN, ERROR, OFF]'
        'GEOWARD_DEMO'          | 'yes'              || "'yes'"              | 'true or false'
        'GEOWARD_DB_URL'        | 'postgres://db/gw' || "'postgres://db/gw'"  | 'a JDBC URL like jdbc:postgresql://host:5432/geoward'
        'GEOWARD_MQTT_URL'      | 'mqtt://broker'    || "'mqtt://broker'"    | 'a broker URL like tcp://127.0.0.1:1883 or ssl://broker.example:8883'
    }

    def "well-formed settings pass"() {
        expect:
        StartupCheck.problems([GEOWARD_PORT: '8080', GEOWARD_OSMAND_PORT: '-1', GEOWARD_DB_POOL: '16',
                               GEOWARD_JWT_SECRET: 'x' * 32, GEOWARD_LOG_LEVEL: 'debug',
                               GEOWARD_DB_URL: 'jdbc:postgresql://db:5432/geoward',
                               GEOWARD_MQTT_URL: 'tcp://127.0.0.1:1883', GEOWARD_MQTT_USER: 'geoward',
                               GEOWARD_MQTT_PASSWORD: 'pw', HOME: '/root']).isEmpty()
    }

    def "the MQTT user without its password is refused"() {
        expect:
        StartupCheck.problems([GEOWARD_MQTT_USER: 'geoward']) ==
                ['GEOWARD_MQTT_USER and GEOWARD_MQTT_PASSWORD go together: set both or neither']
    }

    def "the server started with a wrong port prints one line and exits 2"() {
        given:
        String classpath = System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
        def builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Application.name).redirectErrorStream(true)
        builder.environment().put("GEOWARD_PORT", "eighty")

        when:
        def process = builder.start()
        List<String> output = process.inputStream.readLines()
        assert process.waitFor(60, TimeUnit.SECONDS)

        then:
        process.exitValue() == 2
        output == ["geoward: GEOWARD_PORT is 'eighty': it should be a TCP port 0-65535 (0 or -1 = any free port)"]
    }

    def "a wrong #setting set #where stops the start with one line naming it, and no stack trace"() {
        given: 'a database URL nothing listens on: the check must come before anything needs the database'
        File yaml = File.createTempFile('geoward-settings', '.yml')
        yaml.deleteOnExit()
        String classpath = System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
        List<String> command = [Path.of(System.getProperty("java.home"), "bin", "java").toString()]
        def env = [GEOWARD_DB_URL: 'jdbc:postgresql://127.0.0.1:1/nothing-here', GEOWARD_PORT: '0',
                   GEOWARD_OSMAND_PORT: '-1', GEOWARD_GT06_PORT: '-1']
        switch (where) {
            case 'in YAML':
                def parts = setting.split(/\./, 3)
                yaml.text = "${parts[0]}:\n  ${parts[1]}:\n    ${parts[2]}: $value\n"
                env.MICRONAUT_CONFIG_FILES = yaml.path
                break
            case 'as a system property':
                command << "-D$setting=$value".toString()
                break
            case 'as an environment variable':
                env[setting.toUpperCase().replaceAll(/[.-]/, '_')] = value
                break
        }
        command += ['-cp', classpath, Application.name]
        def builder = new ProcessBuilder(command).redirectErrorStream(true)
        builder.environment().putAll(env)

        when:
        def process = builder.start()
        List<String> output = process.inputStream.readLines()
        assert process.waitFor(90, TimeUnit.SECONDS)

        then:
        process.exitValue() == 2
        String origin = [('in YAML')                   : "in $yaml.path",
                         ('as a system property')      : "from the system property -D$setting",
                         ('as an environment variable'): "from the environment variable ${setting.toUpperCase().replaceAll(/[.-]/, '_')}"][where]
        output.findAll { it.startsWith('geoward:') } == ["geoward: the setting $setting is '$value' ($origin): it should be $expected".toString()]
        output.every { !it.contains('Exception') && !it.trim().startsWith('at ') }

        where:
        setting                          | value  | where                        || expected
        'geoward.dispatch.stale-minutes' | 'abc'  | 'in YAML'                    || 'a whole number'
        'geoward.dispatch.accept-timeout' | 'soon' | 'as a system property'      || 'a duration like 500ms, 30s, 5m or 2h'
        'geoward.dispatch.speeds.walk'   | 'fast' | 'as an environment variable' || 'a number, like 2.5'
        'geoward.privacy.require-consent' | 'perhaps' | 'in YAML'               || 'true or false'
        'micronaut.server.port'          | '70000' | 'in YAML'                   || 'a TCP port 0-65535 (0 or -1 = any free port)'
        'datasources.default.maximum-pool-size' | 'abc' | 'as a system property' || 'a number of connections, 1-1000'
    }
}
