package org.geoward.subject;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;

/**
 * A subject as the API shows it. Ids are strings; {@code guardians} is present for wards; {@code unit},
 * {@code status} and {@code travelMode} for officers; null members are left out.
 *
 * @param offlineMinutes silence after which a ward is reported OFFLINE (null: the default, 30)
 * @param createdAt ISO-8601 instant
 * @param lastSeen the newest fix, from {@code subject_position}
 * @param consent for a WARD, the guardian's consent to tracking on record (absent: none, so no fix is taken)
 * @param erasedAt when the person was erased at their request (name and phone are gone)
 * @param category for a WARD, its key population (docs/key-populations.md), absent when none is recorded
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subject(
        String id,
        SubjectKind kind,
        String name,
        @Nullable String phone,
        @Nullable List<String> guardians,
        @Nullable Integer offlineMinutes,
        @Nullable String unit,
        @Nullable OfficerStatus status,
        @Nullable TravelMode travelMode,
        String createdAt,
        @Nullable LastSeen lastSeen,
        @Nullable Consent consent,
        @Nullable String erasedAt,
        @Nullable SubjectCategory category) {

    /**
     * A guardian's consent to a ward's tracking: who gave it, when (ISO-8601), to which version of the consent text.
     */
    @Serdeable
    public record Consent(String by, String at, String textVersion) {}

    /**
     * Where and when the subject was last seen (its newest fix), or absent when never.
     *
     * @param accuracy metres; {@code battery} percent; either may be null
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LastSeen(String time, double lon, double lat, @Nullable Double accuracy, @Nullable Double battery) {}
}
