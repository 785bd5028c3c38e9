package org.geoward.evaluate

import java.time.Instant
import java.time.LocalTime
import java.time.ZoneOffset
import org.locationtech.jts.geom.Geometry
import org.locationtech.jts.geom.GeometryFactory
import org.locationtech.jts.geom.PrecisionModel
import org.locationtech.jts.io.WKTReader

/** Builds fences, fixes and replays tracks for the evaluator specs. Coordinates are WGS 84 lon/lat around Fuling. */
class Tracks {
    static final GeometryFactory GF = new GeometryFactory(new PrecisionModel(), 4326)
    static final String DAY = '2026-07-01'

    static Geometry wkt(String text) {
        new WKTReader(GF).read(text)
    }

    /** Parses 'HH:mm', 'HH:mm:ss' (on 2026-07-01 UTC) or a full ISO instant. */
    static Instant t(String s) {
        s.contains('T') ? Instant.parse(s) : LocalTime.parse(s).atDate(java.time.LocalDate.parse(DAY)).toInstant(ZoneOffset.UTC)
    }

    static String hhmm(Instant i) {
        def local = i.atOffset(ZoneOffset.UTC).toLocalTime()
        local.second == 0 ? local.toString().substring(0, 5) : local.toString()
    }

    static Fence fence(Map m) {
        new Fence(m.id as long, (m.name ?: "fence ${m.id}").toString(), m.kind as FenceKind, m.geometry instanceof Geometry ? m.geometry : wkt(m.geometry.toString()),
                (m.radius ?: 0) as double, (m.buffer ?: 0) as double, (m.hysteresis ?: Double.NaN) as double,
                (m.dwell ?: 30) as int, (m.maxGap ?: 0) as int, (m.subjects ?: []) as Set<Long>, m.window as ActivityWindow, [] as Set)
    }

    /** A row is [lon, lat, time] with optional accuracy (m) and companions (ids). */
    static Fix fix(List row, long subject = 1, SubjectKind kind = SubjectKind.WARD) {
        new Fix(subject, kind, t(row[2] as String), row[0] as double, row[1] as double,
                (row.size() > 3 ? row[3] : 0) as double, false, (row.size() > 4 ? row[4] : []) as Set<Long>, null)
    }

    /** Replays the rows in order and returns the transitions as 'HH:mm OPEN WANDER@7' / '... RESOLVE WANDER@7 RETURNED'. */
    static List<String> replay(List<List> rows, FenceIndex index, Map opts = [:]) {
        def evaluator = new Evaluator()
        SubjectState state = opts.state ?: new SubjectState()
        List<String> out = []
        rows.each { row ->
            def result = evaluator.evaluate(fix(row, (opts.subject ?: 1) as long, (opts.kind ?: SubjectKind.WARD) as SubjectKind),
                    state, index, (opts.guardians ?: []) as Set<Long>, (opts.locator ?: GuardianLocator.none()) as GuardianLocator)
            state = result.state()
            out.addAll(result.transitions().collect { describe(it) })
        }
        out
    }

    static String describe(Transition tr) {
        "${hhmm(tr.at())} ${tr.kind()} ${tr.type()}${tr.fenceId() == null ? '' : '@' + tr.fenceId()}${tr.outcome() ? ' ' + tr.outcome() : ''}".toString()
    }
}
