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
                out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, s.time()));
                out.writeDouble(s.lon());
                out.writeDouble(s.lat());
                writeDouble(out, s.accuracy());
                out.writeUTF(s.source().name());
                writeDouble(out, s.speed());
                writeDouble(out, s.heading());
                writeDouble(out, s.battery());
                out.writeShort(s.companions().size());
                for (long c : s.companions()) {
                    out.writeLong(c);
                }
                out.writeBoolean(s.sos());
                writeString(out, s.phone());
                writeString(out, s.evidenceUrl());
                writeLong(out, s.deviceId());
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
                long subject = in.readLong();
                Instant time = Instant.EPOCH.plus(in.readLong(), ChronoUnit.MICROS);
                double lon = in.readDouble();
                double lat = in.readDouble();
                Double accuracy = readDouble(in);
                Source source = Source.valueOf(in.readUTF());
                Double speed = readDouble(in);
                Double heading = readDouble(in);
                Double battery = readDouble(in);
                int n = in.readShort();
                List<Long> companions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    companions.add(in.readLong());
                }
                boolean sos = in.readBoolean();
                String phone = readString(in);
                String evidence = readString(in);
                Long device = readLong(in);
                return new Fix(new Sighting(
                        subject,
                        time,
                        lon,
                        lat,
                        accuracy,
                        source,
                        speed,
                        heading,
                        battery,
                        companions,
                        sos,
                        phone,
                        evidence,
                        device));
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
