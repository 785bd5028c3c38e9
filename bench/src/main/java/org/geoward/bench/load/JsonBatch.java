package org.geoward.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One batch of fixes of some walkers, made before any timing and rendered both as the JSON body of {@code POST
 * /api/sightings} and as the rows of a binary {@code COPY sighting (...)}: the same subjects, times (milliseconds),
 * positions (7 decimals) and accuracies either way, as the server would store them. Confined to one thread.
 */
final class JsonBatch {
    /** The columns {@link #copyRows} writes, in order; the rest of {@code sighting}'s take their defaults. */
    static final String COPY_COLUMNS = "subject_id, time, pos, accuracy, source, seq, kind";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z in Unix milliseconds: PostgreSQL's epoch for timestamps. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;

    private static final int EWKB_POINT_WITH_SRID = 0x20000001;
    private static final byte[] GPS = "GPS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WARD = "WARD".getBytes(StandardCharsets.US_ASCII);
    private static final double SCALE = 10_000_000;

    private final Walker[] walkers;
    private final long[] millis;
    private final double[] lon;
    private final double[] lat;

    private JsonBatch(int size) {
        walkers = new Walker[size];
        millis = new long[size];
        lon = new double[size];
        lat = new double[size];
    }

    /** The next {@code size} fixes of {@code walkers}, taken in turn from {@code cursor[0]} on (which moves on). */
    static JsonBatch next(List<Walker> walkers, int size, int[] cursor) {
        JsonBatch b = new JsonBatch(size);
        for (int i = 0; i < size; i++) {
            Walker w = walkers.get(cursor[0]);
            cursor[0] = (cursor[0] + 1) % walkers.size();
            double[] p = w.step();
            b.walkers[i] = w;
            b.millis[i] = w.lastMillis();
            b.lon[i] = Math.round(p[0] * SCALE) / SCALE;
            b.lat[i] = Math.round(p[1] * SCALE) / SCALE;
        }
        return b;
    }

    int size() {
        return walkers.length;
    }

    /** Counts every row as stored for its walker (after a 202 that accepted them all, or a committed COPY). */
    void countStored() {
        for (Walker w : walkers) {
            w.countAcked(1);
        }
    }

    /** {@code [{"subjectId":..,"time":"..","lon":..,"lat":..,"accuracy":..,"source":"GPS"}, ...]} in UTF-8. */
    byte[] json() {
        StringBuilder j = new StringBuilder(size() * 120).append('[');
        for (int i = 0; i < size(); i++) {
            j.append(i == 0 ? "{\"subjectId\":" : ",{\"subjectId\":")
                    .append(walkers[i].device().storeKey())
                    .append(",\"time\":\"")
                    .append(Instant.ofEpochMilli(millis[i]))
                    .append("\",\"lon\":");
            Walker.decimal(j, lon[i], (long) SCALE);
            j.append(",\"lat\":");
            Walker.decimal(j, lat[i], (long) SCALE);
            j.append(",\"accuracy\":").append(walkers[i].accuracyMeters()).append(",\"source\":\"GPS\"}");
        }
        return j.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The binary COPY data of the rows for {@link #COPY_COLUMNS}, row i with log position {@code seqs[i]} and kind
     * WARD (the partition the server's own append puts a ward's fixes in).
     */
    byte[] copyRows(long[] seqs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + size() * 80);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
            for (int i = 0; i < size(); i++) {
                out.writeShort(7);
                out.writeInt(8);
                out.writeLong(walkers[i].device().storeKey());
                out.writeInt(8);
                out.writeLong((millis[i] - PG_EPOCH_MILLIS) * 1_000);
                out.writeInt(25); // EWKB point, little endian, with SRID 4326
                out.writeByte(1);
                out.writeInt(Integer.reverseBytes(EWKB_POINT_WITH_SRID));
                out.writeInt(Integer.reverseBytes(4326));
                out.writeLong(Long.reverseBytes(Double.doubleToLongBits(lon[i])));
                out.writeLong(Long.reverseBytes(Double.doubleToLongBits(lat[i])));
                out.writeInt(4);
                out.writeFloat(walkers[i].accuracyMeters());
                out.writeInt(GPS.length);
                out.write(GPS);
                out.writeInt(8);
                out.writeLong(seqs[i]);
                out.writeInt(WARD.length);
                out.write(WARD);
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }
}
