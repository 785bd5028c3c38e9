package org.geoward.bench

import groovy.transform.CompileStatic

import java.nio.charset.StandardCharsets
import java.time.Instant

/**
 * One batch of generated sightings, held as columns and rendered once, before any timing, both as the JSON body of
 * {@code POST /api/sightings} and as CSV rows for {@code COPY sighting-like-table (subject_id, time, pos, accuracy,
 * source)}: the same rows either way.
 */
@CompileStatic
class BenchBatch {
    final long[] subject
    final Instant[] time
    final double[] lon
    final double[] lat
    final double[] accuracy
    byte[] json
    byte[] csv

    BenchBatch(int n) {
        subject = new long[n]
        time = new Instant[n]
        lon = new double[n]
        lat = new double[n]
        accuracy = new double[n]
    }

    int size() {
        subject.length
    }

    BenchBatch render() {
        StringBuilder j = new StringBuilder(size() * 110).append('[')
        StringBuilder c = new StringBuilder(size() * 80)
        for (int i = 0; i < size(); i++) {
            String t = time[i].toString()
            String x = String.format(Locale.ROOT, '%.6f', lon[i])
            String y = String.format(Locale.ROOT, '%.6f', lat[i])
            String a = String.format(Locale.ROOT, '%.1f', accuracy[i])
            if (i > 0) {
                j.append(',')
            }
            j.append('{"subjectId":').append(subject[i]).append(',"time":"').append(t).append('","lon":').append(x)
                    .append(',"lat":').append(y).append(',"accuracy":').append(a).append(',"source":"GPS"}')
            c.append(subject[i]).append(',').append(t).append(',SRID=4326;POINT(').append(x).append(' ').append(y)
                    .append('),').append(a).append(',GPS\n')
        }
        json = j.append(']').toString().getBytes(StandardCharsets.UTF_8)
        csv = c.toString().getBytes(StandardCharsets.UTF_8)
        this
    }
}
