package org.geoward.sighting;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One position report: the one type every source decodes into (JSON API, OsmAnd, OwnTracks, GT06, GPX/CSV import,
 * the demo), that the pipeline checks and resolves ({@link SightingService}) and the log stores ({@link SightingLog}).
 *
 * <p>Who was seen is named by exactly one of {@code subjectId}, {@code deviceId} (a device's unique id: IMEI or app
 * id) and {@code trackId} (a camera's track, which becomes a VISITOR); once resolved, {@code subjectId} is set and
 * {@code deviceRow} names the {@code device} row that reported it (null for other sources). Coordinates are WGS 84
 * degrees; both are null for an SOS that came without a position (placed at the subject's last known position by
 * {@code DeviceIngest}). Measurements are null when not reported: {@code accuracy} metres, {@code speed} km/h,
 * {@code heading} degrees clockwise from north, {@code altitude} metres, {@code battery} percent. {@code time} is the
 * event time (when the device took the fix, or when the report was received if it sent none: then {@code extras}
 * holds {@code time=received}). {@code extras} keeps protocol-specific values as text. As decoded, any field may be
 * wrong or missing: {@link SightingRules} says what. Immutable; build one with {@link #builder()} or {@link #of}.
 *
 * @param companions subject ids seen together with this one; never null
 */
public record Sighting(
        Long subjectId,
        String deviceId,
        String trackId,
        Long deviceRow,
        Instant time,
        Double lon,
        Double lat,
        Double accuracy,
        Double speed,
        Double heading,
        Double altitude,
        Double battery,
        Source source,
        List<Long> companions,
        boolean sos,
        String phone,
        String evidenceUrl,
        Map<String, String> extras) {

    public Sighting {
        companions = companions == null ? List.of() : List.copyOf(companions);
        source = source == null ? Source.GPS : source;
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }

    /** A plain GPS fix of a subject. */
    public static Sighting of(long subjectId, Instant time, double lon, double lat) {
        return builder().subject(subjectId).time(time).at(lon, lat).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this sighting's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.subjectId = subjectId;
        b.deviceId = deviceId;
        b.trackId = trackId;
        b.deviceRow = deviceRow;
        b.time = time;
        b.lon = lon;
        b.lat = lat;
        b.accuracy = accuracy;
        b.speed = speed;
        b.heading = heading;
        b.altitude = altitude;
        b.battery = battery;
        b.source = source;
        b.companions = companions;
        b.sos = sos;
        b.phone = phone;
        b.evidenceUrl = evidenceUrl;
        b.extras = new HashMap<>(extras);
        return b;
    }

    /** Whether it carries coordinates (an SOS from a GT06 status frame may not). */
    public boolean hasPosition() {
        return lon != null && lat != null;
    }

    /** Builds a {@link Sighting}; unset fields are null (false for {@code sos}, GPS for {@code source}). */
    public static final class Builder {
        private Long subjectId;
        private String deviceId;
        private String trackId;
        private Long deviceRow;
        private Instant time;
        private Double lon;
        private Double lat;
        private Double accuracy;
        private Double speed;
        private Double heading;
        private Double altitude;
        private Double battery;
        private Source source;
        private List<Long> companions;
        private boolean sos;
        private String phone;
        private String evidenceUrl;
        private Map<String, String> extras = new HashMap<>();

        private Builder() {}

        public Builder subject(Long subjectId) {
            this.subjectId = subjectId;
            return this;
        }

        /** Names the device by its unique id (IMEI, app id), as reported. */
        public Builder device(String uniqueId) {
            this.deviceId = uniqueId;
            return this;
        }

        public Builder track(String trackId) {
            this.trackId = trackId;
            return this;
        }

        /** The {@code device} row that reported it, once resolved. */
        public Builder deviceRow(Long deviceRow) {
            this.deviceRow = deviceRow;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder at(Double lon, Double lat) {
            this.lon = lon;
            this.lat = lat;
            return this;
        }

        public Builder accuracy(Double metres) {
            this.accuracy = metres;
            return this;
        }

        public Builder speed(Double kmh) {
            this.speed = kmh;
            return this;
        }

        public Builder heading(Double degrees) {
            this.heading = degrees;
            return this;
        }

        public Builder altitude(Double metres) {
            this.altitude = metres;
            return this;
        }

        public Builder battery(Double percent) {
            this.battery = percent;
            return this;
        }

        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        public Builder companions(List<Long> subjectIds) {
            this.companions = subjectIds;
            return this;
        }

        public Builder sos(boolean sos) {
            this.sos = sos;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder evidenceUrl(String url) {
            this.evidenceUrl = url;
            return this;
        }

        public Builder extras(Map<String, String> extras) {
            this.extras = extras == null ? new HashMap<>() : new HashMap<>(extras);
            return this;
        }

        public Builder extra(String name, String value) {
            this.extras.put(name, value);
            return this;
        }

        public Sighting build() {
            return new Sighting(
                    subjectId,
                    deviceId,
                    trackId,
                    deviceRow,
                    time,
                    lon,
                    lat,
                    accuracy,
                    speed,
                    heading,
                    altitude,
                    battery,
                    source,
                    companions,
                    sos,
                    phone,
                    evidenceUrl,
                    extras);
        }
    }
}
