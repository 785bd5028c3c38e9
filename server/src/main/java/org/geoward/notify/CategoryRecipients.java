package org.geoward.notify;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.problem.SettingsException;
import org.geoward.subject.Unit;

/**
 * Who is told about a ward's alert besides its guardians and the dispatchers, per category: the units whose on-duty
 * officers get it (IN_APP to their accounts, SMS to their phones). The one place it is configured, {@code
 * geoward.notify.recipients.<CATEGORY>}: a comma-separated list of unit names, empty for none. Unless configured, a
 * {@link SubjectCategory#MINOR}'s alerts go to SCHOOL and COMMUNITY, a {@link
 * SubjectCategory#SEVERE_MENTAL_DISORDER}'s to POLICE, and the other categories' to no unit. A configured name
 * that is not a unit name (e.g. {@code school}) stops the start with the setting named; a well-formed unit with no
 * officer on duty tells no one, and {@link NotificationRouter} logs a warning naming the alert and the unit. Which
 * alert types a category takes at all is {@link SubjectCategory#applies}. Immutable and thread-safe.
 */
@Singleton
public final class CategoryRecipients {
    private final Map<SubjectCategory, List<String>> units = new EnumMap<>(SubjectCategory.class);

    CategoryRecipients(
            @Nullable
                    @Property(name = "geoward.notify.recipients")
                    @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
                    Map<String, String> configured) {
        for (SubjectCategory category : SubjectCategory.values()) {
            units.put(
                    category,
                    switch (category) {
                        case MINOR -> List.of(Unit.SCHOOL, Unit.COMMUNITY);
                        case SEVERE_MENTAL_DISORDER -> List.of(Unit.POLICE);
                        default -> List.of();
                    });
        }
        if (configured != null) {
            configured.forEach((name, list) -> units.put(category(name), parse(name, list)));
        }
    }

    /** The units whose on-duty officers are told about the alerts of a ward of {@code category} (null: DEMENTIA). */
    public List<String> unitsFor(SubjectCategory category) {
        return units.get(SubjectCategory.orDefault(category));
    }

    /** Every category with its units. */
    public Map<SubjectCategory, List<String>> byCategory() {
        return Collections.unmodifiableMap(units);
    }

    private static SubjectCategory category(String name) {
        try {
            return SubjectCategory.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("geoward.notify.recipients: unknown category " + name + ", expected one of "
                    + Arrays.toString(SubjectCategory.values()));
        }
    }

    private static List<String> parse(String category, String list) {
        List<String> names = list == null
                ? List.of()
                : Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(u -> !u.isEmpty())
                        .toList();
        for (String name : names) {
            if (!Unit.isName(name)) {
                throw new SettingsException("geoward.notify.recipients." + category + ": '" + name
                        + "' is not a unit name: use upper-case letters, digits, '_' or '-' (e.g. " + Unit.SCHOOL
                        + "," + Unit.COMMUNITY + ")");
            }
        }
        return names;
    }
}
