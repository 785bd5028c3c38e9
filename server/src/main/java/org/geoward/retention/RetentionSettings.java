package org.geoward.retention;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.geoward.evaluate.SubjectKind;
import org.geoward.problem.SettingsException;

/**
 * {@code geoward.retention.*}: how long fixes are kept per subject kind, in which zone days begin, and whether the
 * hourly check expires on its own.
 */
@ConfigurationProperties("geoward.retention")
public class RetentionSettings {
    /** Whether the server expires on its own (once a day, checked hourly). Partitions are made ahead either way. */
    private boolean enabled = true;
    /** The zone whose midnights bound the day partitions and the expiry. */
    private String zone = "Asia/Shanghai";
    /** Days kept for wards and guardians. */
    private int wardDays = 90;

    private int guardianDays = 90;
    /** Days kept for officers. */
    private int officerDays = 30;
    /** Days kept for visitors (camera tracks, anglers). */
    private int visitorDays = 7;
    /** Fixes this long before an alert opened, up to its resolution, are its evidence. */
    private Duration evidenceBefore = Duration.ofHours(1);
    /** How many days ahead partitions are made. */
    private int daysAhead = 3;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        ZoneId.of(zone);
        this.zone = zone;
    }

    public int getWardDays() {
        return wardDays;
    }

    public void setWardDays(int wardDays) {
        this.wardDays = positive("ward-days", wardDays);
    }

    public int getGuardianDays() {
        return guardianDays;
    }

    public void setGuardianDays(int guardianDays) {
        this.guardianDays = positive("guardian-days", guardianDays);
    }

    public int getOfficerDays() {
        return officerDays;
    }

    public void setOfficerDays(int officerDays) {
        this.officerDays = positive("officer-days", officerDays);
    }

    public int getVisitorDays() {
        return visitorDays;
    }

    public void setVisitorDays(int visitorDays) {
        this.visitorDays = positive("visitor-days", visitorDays);
    }

    public Duration getEvidenceBefore() {
        return evidenceBefore;
    }

    public void setEvidenceBefore(@Nullable Duration evidenceBefore) {
        this.evidenceBefore = evidenceBefore == null ? Duration.ZERO : evidenceBefore;
    }

    public int getDaysAhead() {
        return daysAhead;
    }

    public void setDaysAhead(int daysAhead) {
        this.daysAhead = Math.max(1, daysAhead);
    }

    ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    /** Days kept per kind. */
    Map<SubjectKind, Integer> days() {
        Map<SubjectKind, Integer> days = new EnumMap<>(SubjectKind.class);
        days.put(SubjectKind.WARD, wardDays);
        days.put(SubjectKind.GUARDIAN, guardianDays);
        days.put(SubjectKind.OFFICER, officerDays);
        days.put(SubjectKind.VISITOR, visitorDays);
        return days;
    }

    private static int positive(String key, int days) {
        if (days < 1) {
            throw new SettingsException("geoward.retention." + key + " must be at least 1 day, not " + days);
        }
        return days;
    }
}
