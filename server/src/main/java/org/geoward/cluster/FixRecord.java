package org.geoward.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.geoward.evaluate.AlertType;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.Source;

/**
 * The records of the fixes topic, in a small binary form (about 60 bytes a fix): a {@link Fix} or a {@link Resolution}
 * of one subject, keyed by its id (8 bytes, big-endian). Version byte first, so the form can grow.
 */
sealed interface FixRecord permits FixRecord.Fix, FixRecord.Resolution {
    byte FIX = 1;
    byte RESOLUTION = 2;

    long subjectId();

    /** A sighting, as ingest checked and resolved it. */
    record Fix(Sighting sighting) implements FixRecord {
        @Override
        public long subjectId() {
            return sighting.subjectId();
        }
    }

    /** A person resolved the subject's alert of this type (and fence): its episode ends. */
    record Resolution(long subjectId, AlertType type, Long fenceId) implements FixRecord {}

    static byte[] key(long subjectId) {
        return ByteBuffer.allocate(8).putLong(subjectId).array();
    }

    static byte[] encode(FixRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof Fix f) {
                Sighting s = f.sighting();
                out.writeByte(FIX);
                out.writeLong(s.subjectId());
                writeString(out, s.deviceId());
                writeString(out, s.trackId());
                writeLong(out, s.deviceRow());
                out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, s.time()));
                for (Double v :
                        new Double[] {s.lon(), s.lat(), s.accuracy(), s.speed(), s.heading(), s.altitude(), s.battery()
                        }) {
                    writeDouble(out, v);
                }
                out.writeUTF(s.source().name());
                out.writeShort(s.companions().size());
                for (long c : s.companions()) {
                    out.writeLong(c);
                }
                out.writeBoolean(s.sos());
                writeString(out, s.phone());
                writeString(out, s.evidenceUrl());
                out.writeShort(s.extras().size());
                for (Map.Entry<String, String> e : s.extras().entrySet()) {
                    out.writeUTF(e.getKey());
                    writeString(out, e.getValue());
                }
            } else if (record instanceof Resolution r) {
                out.writeByte(RESOLUTION);
                out.writeLong(r.subjectId());
                out.writeUTF(r.type().name());
                writeLong(out, r.fenceId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a record; throws {@link IllegalArgumentException} for bytes that are not one. */
    static FixRecord decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte kind = in.readByte();
            if (kind == FIX) {
                Sighting.Builder b = Sighting.builder()
                        .subject(in.readLong())
                        .device(readString(in))
                        .track(readString(in))
                        .deviceRow(readLong(in))
                        .time(Instant.EPOCH.plus(in.readLong(), ChronoUnit.MICROS));
                b.at(readDouble(in), readDouble(in));
                b.accuracy(readDouble(in))
                        .speed(readDouble(in))
                        .heading(readDouble(in))
                        .altitude(readDouble(in))
                        .battery(readDouble(in));
                b.source(Source.valueOf(in.readUTF()));
                int n = in.readShort();
                List<Long> companions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    companions.add(in.readLong());
                }
                b.companions(companions)
                        .sos(in.readBoolean())
                        .phone(readString(in))
                        .evidenceUrl(readString(in));
                int extras = in.readShort();
                for (int i = 0; i < extras; i++) {
                    b.extra(in.readUTF(), readString(in));
                }
                return new Fix(b.build());
            }
            if (kind == RESOLUTION) {
                long subject = in.readLong();
                AlertType type = AlertType.valueOf(in.readUTF());
                return new Resolution(subject, type, readLong(in));
            }
            throw new IllegalArgumentException("unknown record kind " + kind);
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated record (" + value.length + " bytes)", e);
        }
    }

    private static void writeDouble(DataOutputStream out, Double v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeDouble(v);
        }
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void writeLong(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeString(DataOutputStream out, String v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeUTF(v);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
