package org.geoward

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.regex.Matcher
import java.util.regex.Pattern
import spock.lang.Shared
import spock.lang.Specification

/**
 * The data-access rules of CONTRIBUTING.md, read off the source: a table is written only by the package that owns
 * it, and controllers hold no SQL. Plain Spock on the files of {@code src/main/java} (migrations are not scanned);
 * a breach is named by file and line.
 */
class OwnershipSpec extends Specification {
    static final Path MAIN = Paths.get('src/main/java/org/geoward')

    /** Each owned table and the package (under org.geoward) that alone may write it. */
    static final Map<String, String> OWNERS = [
            alert: 'alert', alert_event: 'alert',
            subject: 'subject', device: 'subject', ward_guardian: 'subject', officer_unit: 'subject',
            fence: 'fence', work_order: 'workorder', grid_officer: 'grid',
            sighting: 'sighting', subject_position: 'sighting', subject_state: 'partition',
            app_user: 'account', user_ward: 'account',
            notification: 'notify', sms_message: 'notify', sms_quiet: 'notify',
            cluster_lease: 'lease']

    /**
     * The one write a package other than the owner makes, and why: retention drops the log's expired day partitions
     * and moves their evidence rows back into {@code sighting} (partition maintenance, not a change of a fix).
     */
    static final Map<String, Set<String>> ALSO_WRITES = [retention: ['sighting'] as Set]

    static final Pattern WRITE = Pattern.compile(
            '(?i)\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(' + OWNERS.keySet().join('|') + ')\\b')

    static final Pattern SQL_IN_CONTROLLER = Pattern.compile(
            '\\b(prepareStatement|createQuery|createNativeQuery|JdbcOperations|DataSource)\\b'
                    + '|"(SELECT|INSERT|UPDATE|DELETE|WITH)\\s'
                    + '|"""\\s*\\n\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\b')

    @Shared
    Map<Path, String> sources

    def setupSpec() {
        sources = Files.walk(MAIN).withCloseable { files ->
            files.filter { it.toString().endsWith('.java') }
                    .sorted()
                    .toList()
                    .collectEntries { [(it): withoutComments(Files.readString(it))] }
        }
    }

    def "the sources are found"() {
        expect: 'the scan reads the real tree, not an empty one'
        sources.size() > 100
        sources.keySet().any { it.endsWith('alert/AlertWriter.java') }
    }

    def "every owned table (alert, subject, fence, sighting, the accounts, the outbox …) is written only by its owner"() {
        when:
        List<String> breaches = []
        sources.each { file, text ->
            String pkg = MAIN.relativize(file).getName(0).toString()
            Matcher m = WRITE.matcher(text)
            while (m.find()) {
                String table = m.group(2).toLowerCase()
                if (OWNERS[table] != pkg && !ALSO_WRITES[pkg]?.contains(table)) {
                    breaches << "${where(file, text, m.start())}: ${m.group(1).toUpperCase()} ${table}" +
                            " (owned by org.geoward.${OWNERS[table]}; call its API)"
                }
            }
        }

        then:
        assert breaches.isEmpty(), "${breaches.size()} write(s) outside the owning package:\n" + breaches.join('\n')
    }

    /** The tables the demo seeds and removes, each only through its owner's API. */
    static final Pattern DEMO_WRITE = Pattern.compile(
            '(?i)\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(fence|app_user|user_ward|grid_officer|sms_quiet|sighting'
                    + '|' + OWNERS.keySet().join('|') + ')\\b')

    def "the demo writes no table itself: fences, accounts, grid officers, quiet periods and sightings go through their owners"() {
        when:
        List<String> breaches = []
        sources.findAll { file, text -> MAIN.relativize(file).getName(0).toString() == 'demo' }.each { file, text ->
            Matcher m = DEMO_WRITE.matcher(text)
            while (m.find()) {
                breaches << "${where(file, text, m.start())}: ${m.group(1).toUpperCase()} ${m.group(2).toLowerCase()}" +
                        ' (the demo calls the owning service: fence, account, grid, notify, sighting, subject, alert)'
            }
        }

        then:
        sources.keySet().any { it.endsWith('demo/DemoSeeder.java') }
        assert breaches.isEmpty(), "${breaches.size()} direct write(s) in demo/:\n" + breaches.join('\n')
    }

    /**
     * The packages everything else stands on, bottom up (CONTRIBUTING.md's picture): each may import only those
     * before it, so a lower package that needs an upper one declares an interface the upper one implements.
     */
    static final List<String> FOUNDATION = ['problem', 'json', 'clock', 'geo', 'evaluate', 'database', 'lease',
            'readiness', 'audit', 'security', 'account', 'subject', 'fence']

    static final Pattern GEOWARD_IMPORT = Pattern.compile('(?m)^import\\s+(?:static\\s+)?org\\.geoward\\.([a-z]+)\\.')

    def "the foundation packages import nothing above them: #pkg"() {
        when:
        List<String> breaches = []
        int files = 0
        sources.findAll { file, text -> MAIN.relativize(file).getName(0).toString() == pkg }.each { file, text ->
            files++
            Matcher m = GEOWARD_IMPORT.matcher(text)
            while (m.find()) {
                String imported = m.group(1)
                if (imported != pkg && !(imported in FOUNDATION.subList(0, FOUNDATION.indexOf(pkg)))) {
                    breaches << "${where(file, text, m.start())}: imports org.geoward.${imported}" +
                            " (${pkg} may import only ${FOUNDATION.subList(0, FOUNDATION.indexOf(pkg))})"
                }
            }
        }

        then:
        files > 0
        assert breaches.isEmpty(), "${breaches.size()} import(s) running back up:\n" + breaches.join('\n')

        where:
        pkg << FOUNDATION
    }

    def "no controller holds SQL"() {
        when:
        List<String> breaches = []
        sources.findAll { file, text -> file.fileName.toString().endsWith('Controller.java') }.each { file, text ->
            Matcher m = SQL_IN_CONTROLLER.matcher(text)
            while (m.find()) {
                breaches << "${where(file, text, m.start())}: ${m.group().trim()}" +
                        ' (SQL belongs in the owning repository or service)'
            }
        }

        then:
        assert breaches.isEmpty(), "${breaches.size()} SQL use(s) in controllers:\n" + breaches.join('\n')
    }

    def "the scanner catches a write from another package, across lines, and ignores comments"() {
        given:
        String text = withoutComments(source)

        expect:
        WRITE.matcher(text).find() == caught

        where:
        source                                                           || caught
        'jdbc.prepareStatement("UPDATE alert SET x = 1", ps -> 1);'      || true
        '"""\n        update subject s SET phone = NULL"""'              || true
        '"WITH c AS (SELECT 1) DELETE FROM\n alert_event WHERE"'         || true
        '"INSERT INTO alert (type) VALUES (?)"'                          || true
        '"UPDATE fence SET properties = ?"'                               || true
        '"UPDATE alert_assignment SET x = 1"'                            || false
        '"ON CONFLICT (subject_id) DO UPDATE SET subject = 1"'           || false
        '"SELECT 1 FROM alert FOR UPDATE OF a"'                          || false
        '    /**\n     * {@code UPDATE alert SET status}\n     */\nint x;' || false
        '    // UPDATE subject SET status = ?'                           || false
    }

    /** {@code file:line} of offset {@code at} in {@code text}. */
    private static String where(Path file, String text, int at) {
        int line = 1 + text.substring(0, at).count('\n')
        return "server/${MAIN}/${MAIN.relativize(file)}:${line}"
    }

    /** The text with comment lines (javadoc, block comments, {@code //} lines) blanked; line numbers are kept. */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder()
        boolean inBlock = false
        text.split('\n', -1).eachWithIndex { String line, int i ->
            if (i > 0) {
                out.append('\n')
            }
            String t = line.trim()
            if (inBlock) {
                inBlock = !t.contains('*/')
            } else if (t.startsWith('/*')) {
                inBlock = !t.contains('*/')
            } else if (!t.startsWith('//')) {
                out.append(line)
            }
        }
        return out.toString()
    }
}
