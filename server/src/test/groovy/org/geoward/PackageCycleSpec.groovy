package org.geoward

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.regex.Matcher
import java.util.regex.Pattern
import java.util.spi.ToolProvider
import spock.lang.Shared
import spock.lang.Specification

/**
 * No package cycle among org.geoward's packages: the package graph is read off the compiled classes by the JDK's
 * jdeps (the same as {@code cd server/target/classes && jdeps -verbose:class -filter:none -e 'org\.geoward\..*' org}),
 * so it sees every use the compiler kept (imports, fully qualified names, Micronaut's generated bean definitions),
 * not only {@code import} lines. A feature's subpackages count as the feature ({@code device.gt06} is {@code device});
 * the classes directly in {@code org.geoward} (the launcher) are one package of their own. A cycle is reported with
 * the class edges that make it, which tell what to move.
 */
class PackageCycleSpec extends Specification {
    static final Path CLASSES = Paths.get('target/classes')

    /** {@code   org.geoward.a.B   -> org.geoward.c.D   classes}: one class edge of jdeps' verbose output. */
    static final Pattern EDGE = Pattern.compile('(?m)^\\s+(org\\.geoward\\.[\\w.$]+)\\s+->\\s+(org\\.geoward\\.[\\w.$]+)\\s')

    /** Package to package, each with the class edges (outer classes, {@code pkg.Class -> pkg.Class}) behind it. */
    @Shared
    Map<String, Map<String, Set<String>>> graph

    def setupSpec() {
        assert Files.isDirectory(CLASSES.resolve('org/geoward')), "no compiled classes under ${CLASSES.toAbsolutePath()}"
        graph = packageGraph(jdeps(CLASSES.toString()))
    }

    def "the package graph is read from the compiled classes"() {
        expect: 'the graph holds edges the code is known to have, so an empty or misread jdeps output cannot pass'
        graph.size() > 15
        graph['alert']?.containsKey('evaluate')
        graph['sighting']?.containsKey('subject')
        graph['org.geoward']?.containsKey('database')
    }

    def "no package cycle among org.geoward's packages"() {
        when:
        List<String> cycles = report(graph)

        then:
        assert cycles.isEmpty(), "${cycles.size()} package cycle(s); break each by moving the class an edge names" +
                ' to where it belongs (CONTRIBUTING.md, "where does my change go"), or by an interface in the lower' +
                ' package that the upper one implements:\n' + cycles.join('\n')
    }

    def "a cycle is found and named by the edges that make it: #edges"() {
        given:
        Map<String, Map<String, Set<String>>> g = [:]
        edges.split(' ').each { String e ->
            def (a, b) = e.split('>')
            g.computeIfAbsent(a) { [:] }.computeIfAbsent(b) { new TreeSet<String>() } << "${a}.X -> ${b}.Y".toString()
        }

        expect:
        components(g) == expected
        report(g).size() == expected.size()
        expected.every { List<String> c -> c.every { p -> report(g).join('\n').contains("${p}.X -> ") } }

        where:
        edges                   || expected
        'a>b b>c'               || []
        'a>b b>a'               || [['a', 'b']]
        'a>b b>c c>a d>a'       || [['a', 'b', 'c']]
        'a>b b>a c>d d>c a>c'   || [['a', 'b'], ['c', 'd']]
        'a>b b>c c>d d>b'       || [['b', 'c', 'd']]
    }

    def "the report shows one way round the cycle and every class edge inside it"() {
        given:
        Map<String, Map<String, Set<String>>> g = [
                cluster: [monitor: ['cluster.BrokerReadiness -> monitor.ReadinessCheck'] as Set],
                monitor: [notify: ['monitor.AlertMeters -> notify.ChannelKind'] as Set],
                notify : [cluster: ['notify.VisitorPhoneEraser -> cluster.ClusterLease'] as Set]]

        when:
        String text = report(g).join('\n')

        then:
        text.contains('cluster -> monitor -> notify -> cluster')
        text.contains('cluster.BrokerReadiness -> monitor.ReadinessCheck')
        text.contains('monitor.AlertMeters -> notify.ChannelKind')
        text.contains('notify.VisitorPhoneEraser -> cluster.ClusterLease')
    }

    /** Runs jdeps on {@code classes} and returns what it prints. */
    static String jdeps(String classes) {
        ToolProvider tool = ToolProvider.findFirst('jdeps')
                .orElseThrow { new IllegalStateException('jdeps is not in this JDK (module jdk.jdeps)') }
        StringWriter out = new StringWriter()
        StringWriter err = new StringWriter()
        int rc = tool.run(new PrintWriter(out), new PrintWriter(err),
                '-verbose:class', '-filter:none', '-e', 'org\\.geoward\\..*', classes)
        assert rc == 0, "jdeps failed ($rc): $err"
        return out.toString()
    }

    /** The package graph of jdeps' class edges, without a package's edges to itself. */
    static Map<String, Map<String, Set<String>>> packageGraph(String jdepsOutput) {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>()
        Matcher m = EDGE.matcher(jdepsOutput)
        while (m.find()) {
            String from = feature(m.group(1))
            String to = feature(m.group(2))
            if (from != to) {
                g.computeIfAbsent(from) { new TreeMap<>() }.computeIfAbsent(to) { new TreeSet<>() } <<
                        "${shortName(m.group(1))} -> ${shortName(m.group(2))}".toString()
            }
        }
        return g
    }

    /** {@code org.geoward.device.gt06.Gt06Server} is in {@code device}; {@code org.geoward.Application} in {@code org.geoward}. */
    static String feature(String className) {
        List<String> parts = className.split('\\.') as List
        return parts.size() > 3 ? parts[2] : 'org.geoward'
    }

    /**
     * {@code pkg.Class} of the source file a class comes from ({@code org.geoward.Class} for the launcher's): nested
     * classes are their outer class, and Micronaut's generated {@code $Bean$Definition...} is {@code Bean}.
     */
    static String shortName(String className) {
        String rest = className.substring('org.geoward.'.length())
        int dot = rest.lastIndexOf('.')
        String pkg = dot < 0 ? 'org.geoward.' : rest.substring(0, dot + 1)
        String simple = rest.substring(dot + 1)
        simple = simple.startsWith('$') ? simple.substring(1) : simple
        int nested = simple.indexOf('$')
        return pkg + (nested < 0 ? simple : simple.substring(0, nested))
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted, in order of their first. */
    static List<List<String>> components(Map<String, Map<String, Set<String>>> g) {
        Map<String, Integer> index = [:]
        Map<String, Integer> low = [:]
        Deque<String> stack = new ArrayDeque<>()
        Set<String> onStack = []
        List<List<String>> found = []
        Closure visit
        visit = { String v ->
            index[v] = low[v] = index.size()
            stack.push(v)
            onStack << v
            (g[v]?.keySet() ?: []).each { String w ->
                if (!index.containsKey(w)) {
                    visit(w)
                    low[v] = Math.min(low[v], low[w])
                } else if (w in onStack) {
                    low[v] = Math.min(low[v], index[w])
                }
            }
            if (low[v] == index[v]) {
                List<String> c = []
                String w
                do {
                    w = stack.pop()
                    onStack.remove(w)
                    c << w
                } while (w != v)
                if (c.size() > 1) {
                    found << c.sort()
                }
            }
        }
        new TreeSet<>(g.keySet()).each { if (!index.containsKey(it)) visit(it) }
        return found.sort { it[0] }
    }

    /** One paragraph per cycle: its packages, a shortest way round from the first, and the class edges inside it. */
    static List<String> report(Map<String, Map<String, Set<String>>> g) {
        components(g).collect { List<String> c ->
            List<String> lines = ["cycle among ${c.join(', ')}: ${wayRound(g, c)}".toString()]
            c.each { String a ->
                g[a].findAll { b, why -> b in c }.each { b, why -> why.each { lines << "    ${it}".toString() } }
            }
            lines.join('\n')
        }
    }

    /** The shortest path from the component's first package back to it, inside the component (breadth first). */
    private static String wayRound(Map<String, Map<String, Set<String>>> g, List<String> c) {
        String start = c[0]
        Map<String, String> cameFrom = [:]
        Deque<String> queue = new ArrayDeque<>([start])
        while (!queue.isEmpty()) {
            String v = queue.poll()
            for (String w : (g[v]?.keySet() ?: [])) {
                if (!(w in c)) {
                    continue
                }
                if (w == start) {
                    List<String> path = [start]
                    for (String p = v; p != start; p = cameFrom[p]) {
                        path.add(1, p)
                    }
                    return (path + start).join(' -> ')
                }
                if (!cameFrom.containsKey(w)) {
                    cameFrom[w] = v
                    queue << w
                }
            }
        }
        return start
    }
}
