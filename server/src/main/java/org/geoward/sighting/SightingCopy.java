package org.geoward.sighting;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.geoward.evaluate.SubjectKind;

/**
 * Writes sightings as the rows of a binary {@code COPY sighting (...) FROM STDIN (FORMAT binary)}, in PostgreSQL's
 * binary tuple format: the columns of {@link #COLUMNS}, each row with its log position ({@code seq}, allocated
 * beforehand) and its subject's kind (the partition it goes to). Binary saves PostgreSQL the parsing of text: the
 * position travels as EWKB (SRID 4326), the time as microseconds since 2000-01-01. Stateless.
 */
final class SightingCopy {
    /** The columns, in the order each row writes them. */
    static final String COLUMNS = "subject_id, time, pos, accuracy, source, speed, heading, battery, companions, sos,"
            + " phone, evidence_url, device_id, seq, kind";

    private static final int FIELDS = 15;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z in Unix seconds: PostgreSQL's epoch for timestamps. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static final int INT8_OID = 20;
    /** EWKB point type with the SRID flag. */
    private static final int EWKB_POINT_WITH_SRID = 0x20000001;

    private static final int SRID = 4326;

    /** Each {@link Source}'s name in UTF-8, by ordinal: encoded once, not per row. */
    private static final byte[][] SOURCE_NAMES = Arrays.stream(Source.values())
            .map(source -> source.name().getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);

    /** Each {@code SubjectKind}'s name in UTF-8: encoded once, not per row (it was 16 % of the log writer's samples). */
    private static final Map<String, byte[]> KIND_NAMES = Arrays.stream(SubjectKind.values())
            .collect(Collectors.toUnmodifiableMap(
                    SubjectKind::name, k -> k.name().getBytes(StandardCharsets.UTF_8)));

    private SightingCopy() {}

    /**
     * The COPY data of {@code rows}: row i gets log position {@code seqs[i]} and kind {@code kinds[i]} (a {@code
     * SubjectKind} name). Every row must have a position (the log stores no fix without one).
     */
    static byte[] encode(List<Sighting> rows, long[] seqs, String[] kinds) {
        // a plain growing array: DataOutputStream over ByteArrayOutputStream took a lock per byte written
        Bytes out = new Bytes(64 + rows.size() * 150);
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (int i = 0; i < rows.size(); i++) {
            row(out, rows.get(i), seqs[i], kinds[i]);
        }
        out.writeShort(-1);
        return out.toByteArray();
    }

    private static void row(Bytes out, Sighting s, long seq, String kind) {
        out.writeShort(FIELDS);
        int8(out, s.subjectId());
        out.writeInt(8);
        out.writeLong(micros(s.time()));
        point(out, s.lon(), s.lat());
        float4(out, s.accuracy());
        text(out, SOURCE_NAMES[s.source().ordinal()]);
        float4(out, s.speed());
        float4(out, s.heading());
        float4(out, s.battery());
        ids(out, s.companions());
        out.writeInt(1);
        out.writeByte(s.sos() ? 1 : 0);
        text(out, s.phone());
        text(out, s.evidenceUrl());
        int8(out, s.deviceRow());
        int8(out, seq);
        byte[] kindName = KIND_NAMES.get(kind);
        if (kindName != null) {
            text(out, kindName);
        } else {
            text(out, kind);
        }
    }

    /** Microseconds since PostgreSQL's epoch (the sighting's time is already truncated to microseconds). */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L), t.getNano() / 1000);
    }

    /** A point as little-endian EWKB with SRID 4326, as {@code geography_recv} reads it. */
    private static void point(Bytes out, double lon, double lat) {
        out.writeInt(25);
        out.writeByte(1); // little endian
        out.writeInt(Integer.reverseBytes(EWKB_POINT_WITH_SRID));
        out.writeInt(Integer.reverseBytes(SRID));
        out.writeLong(Long.reverseBytes(Double.doubleToLongBits(lon)));
        out.writeLong(Long.reverseBytes(Double.doubleToLongBits(lat)));
    }

    private static void int8(Bytes out, Long value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(8);
            out.writeLong(value);
        }
    }

    private static void float4(Bytes out, Double value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(4);
            out.writeInt(Float.floatToIntBits(value.floatValue()));
        }
    }

    private static void text(Bytes out, String value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            text(out, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void text(Bytes out, byte[] utf8) {
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** A {@code bigint[]} of one dimension, or null when empty (as the insert stores it). */
    private static void ids(Bytes out, List<Long> ids) {
        if (ids.isEmpty()) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(20 + ids.size() * 12);
        out.writeInt(1); // dimensions
        out.writeInt(0); // no nulls
        out.writeInt(INT8_OID);
        out.writeInt(ids.size());
        out.writeInt(1); // lower bound
        for (Long id : ids) {
            out.writeInt(8);
            out.writeLong(id);
        }
    }

    /** Big-endian writes into an array that grows as needed; not thread-safe (one per encode). */
    private static final class Bytes {
        private byte[] buf;
        private int size;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void writeByte(int v) {
            room(1);
            buf[size++] = (byte) v;
        }

        void writeShort(int v) {
            room(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeInt(int v) {
            room(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void write(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
