package org.geoward.evaluate;

import java.util.EnumSet;
import java.util.Set;

/**
 * Names the key populations a WARD may belong to, each with the alert types that apply to it (the table in
 * docs/key-populations.md). A ward without a category is treated as {@link #DEMENTIA}, the first population
 * Geoward served. A fence may name the categories it applies to (a DANGER river bank for {@link #MINOR}s only).
 */
public enum SubjectCategory {
    /** Living with dementia: wanders off, may walk to the river, goes silent. */
    DEMENTIA(EnumSet.of(
            AlertType.WANDER,
            AlertType.DANGER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE,
            AlertType.WATER_LEAK,
            AlertType.FALL,
            AlertType.DOOR_OPEN)),
    /** Severe mental disorder (严重精神障碍患者), under the community's care plan. */
    SEVERE_MENTAL_DISORDER(EnumSet.of(
            AlertType.WANDER, AlertType.DANGER, AlertType.OFFLINE, AlertType.SOS, AlertType.GAS, AlertType.SMOKE)),
    /** Intellectual disability (智力残疾): may get lost, cannot always ask for help. */
    INTELLECTUAL_DISABILITY(EnumSet.of(
            AlertType.WANDER,
            AlertType.DANGER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE,
            AlertType.WATER_LEAK)),
    /** A minor (未成年人): the danger is the water in summer; no home alarms, no OFFLINE (school turns watches off). */
    MINOR(EnumSet.of(AlertType.WANDER, AlertType.DANGER, AlertType.SOS)),
    /** An elder living alone (独居老人) without dementia: home alarms first. */
    ELDER_ALONE(EnumSet.of(
            AlertType.DANGER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE,
            AlertType.WATER_LEAK,
            AlertType.FALL,
            AlertType.DOOR_OPEN));

    private final Set<AlertType> alertTypes;

    SubjectCategory(Set<AlertType> alertTypes) {
        this.alertTypes = Set.copyOf(alertTypes);
    }

    /** The alert types raised for a ward of this category. */
    public Set<AlertType> alertTypes() {
        return alertTypes;
    }

    /** Tells whether alerts of {@code type} apply to a ward of this category. */
    public boolean takes(AlertType type) {
        return alertTypes.contains(type);
    }

    /** The category of a ward stored without one: {@link #DEMENTIA}. */
    public static SubjectCategory orDefault(SubjectCategory category) {
        return category == null ? DEMENTIA : category;
    }
}
