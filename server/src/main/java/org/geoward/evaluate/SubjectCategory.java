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
            AlertType.LOITER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE,
            AlertType.WATER_LEAK,
            AlertType.FALL,
            AlertType.DOOR_OPEN)),
    /** Severe mental disorder (严重精神障碍患者), under the community's care plan; dwelling at a school gate is a LOITER. */
    SEVERE_MENTAL_DISORDER(EnumSet.of(
            AlertType.WANDER,
            AlertType.DANGER,
            AlertType.LOITER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE)),
    /** Intellectual disability (智力残疾): may get lost, cannot always ask for help. */
    INTELLECTUAL_DISABILITY(EnumSet.of(
            AlertType.WANDER,
            AlertType.DANGER,
            AlertType.LOITER,
            AlertType.OFFLINE,
            AlertType.SOS,
            AlertType.GAS,
            AlertType.SMOKE,
            AlertType.WATER_LEAK)),
    /**
     * A minor (未成年人): the danger is the water in summer; no LOITER (children play where anglers are warned off), no
     * home alarms, no OFFLINE (school turns watches off).
     */
    MINOR(EnumSet.of(AlertType.WANDER, AlertType.DANGER, AlertType.SOS)),
    /** An elder living alone (独居老人) without dementia: home alarms first; walking about is no WANDER. */
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

    /**
     * Tells whether alerts of {@code type} apply to a subject of {@code kind} with {@code category} (null: none
     * recorded): the one rule the evaluator (WANDER, DANGER, LOITER, SOS), the offline check (OFFLINE) and the home
     * alarms follow. A WARD takes the types of its category ({@link #DEMENTIA} when none is recorded); other kinds
     * have no category and take every type their fences raise (a visitor's LOITER, an officer's SOS).
     */
    public static boolean applies(AlertType type, SubjectKind kind, SubjectCategory category) {
        return kind != SubjectKind.WARD || orDefault(category).takes(type);
    }

    /** The categories whose wards take alerts of {@code type}, as stored in {@code subject.category}. */
    public static Set<SubjectCategory> taking(AlertType type) {
        Set<SubjectCategory> out = EnumSet.noneOf(SubjectCategory.class);
        for (SubjectCategory c : values()) {
            if (c.takes(type)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The category of a ward stored without one: {@link #DEMENTIA}. */
    public static SubjectCategory orDefault(SubjectCategory category) {
        return category == null ? DEMENTIA : category;
    }
}
