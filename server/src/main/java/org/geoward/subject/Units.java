package org.geoward.subject;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.geoward.problem.ProblemException;

/**
 * The officer units: those configured ({@code geoward.units} and the units of {@code geoward.dispatch.units}, fixed:
 * dispatch routes alert types to them by name),
 * those an admin made ({@code officer_unit}, V41), and any other unit an officer still has. Creates, renames (the
 * officers, and through the {@link UnitReferences} the work orders and grids of the unit, follow), relabels and deletes units, and moves officers between them.
 * Thread-safe.
 */
@Singleton
class Units {
    private final List<String> configured;
    private final Set<String> routed;
    private final JdbcOperations jdbc;
    private final ApplicationEventPublisher<DirectoryChanged> changes;
    private final List<UnitReferences> references;

    Units(
            @Value("${geoward.units:POLICE,FISHERIES}") List<String> configured,
            AlertUnits alertUnits,
            JdbcOperations jdbc,
            ApplicationEventPublisher<DirectoryChanged> changes,
            List<UnitReferences> references) {
        this.references = references;
        this.configured =
                configured.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        this.routed = Set.copyOf(alertUnits.byType().values());
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /**
     * One unit: its label (null: the console's own name for it), whether the configuration fixes it (its name then stays), and its officers by status
     * ({@code noStatus}: none set, so never offered).
     */
    @Serdeable
    record UnitInfo(
            String name,
            String label,
            boolean configured,
            long officers,
            long available,
            long busy,
            long offDuty,
            long noStatus) {}

    /** Every unit: the configured ones first, in their configured order, then the others by name. */
    @Transactional
    List<UnitInfo> list() {
        Map<String, long[]> counts = jdbc.prepareStatement(
                """
                SELECT unit, count(*), count(*) FILTER (WHERE status = 'AVAILABLE'),
                       count(*) FILTER (WHERE status = 'BUSY'), count(*) FILTER (WHERE status = 'OFF_DUTY'),
                       count(*) FILTER (WHERE status IS NULL)
                FROM subject WHERE kind = 'OFFICER' AND unit IS NOT NULL GROUP BY unit""",
                ps -> {
                    Map<String, long[]> found = new LinkedHashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString(1), new long[] {
                                rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)
                            });
                        }
                    }
                    return found;
                });
        Map<String, String> stored = labels();
        Set<String> names = new LinkedHashSet<>(configured);
        TreeSet<String> others = new TreeSet<>(stored.keySet());
        others.addAll(counts.keySet());
        names.addAll(others);
        List<UnitInfo> units = new ArrayList<>();
        for (String name : names) {
            long[] c = counts.getOrDefault(name, new long[5]);
            units.add(new UnitInfo(name, stored.get(name), isFixed(name), c[0], c[1], c[2], c[3], c[4]));
        }
        return units;
    }

    /** The unit names an officer may be given: the configured and the stored ones. */
    @Transactional
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>(configured);
        names.addAll(labels().keySet());
        return names;
    }

    /** Creates unit {@code name} with {@code label} (may be null); a 409 when it exists. */
    @Transactional
    UnitInfo create(String name, String label) {
        Unit.checked(name, "name");
        if (exists(name)) {
            throw ProblemException.conflict("Unit " + name + " exists already");
        }
        jdbc.prepareStatement("INSERT INTO officer_unit (name, label) VALUES (?, ?)", ps -> {
            ps.setString(1, name);
            ps.setString(2, label);
            return ps.executeUpdate();
        });
        return find(name);
    }

    /**
     * Gives unit {@code name} the new name {@code newName} (null: keep it) and {@code label} (when {@code setLabel}).
     * A rename moves its officers, the work orders ordered to it and the grids it answers for; a configured unit keeps
     * its name (409).
     */
    @Transactional
    UnitInfo update(String name, String newName, boolean setLabel, String label) {
        requireExisting(name);
        String target = name;
        if (newName != null && !newName.equals(name)) {
            Unit.checked(newName, "name");
            if (isFixed(name)) {
                throw ProblemException.conflict("Unit " + name + " is configured in geoward.units or"
                        + " geoward.dispatch.units (dispatch routes alert types to it by name), so it keeps its name;"
                        + " change its label instead");
            }
            if (exists(newName)) {
                throw ProblemException.conflict("Unit " + newName + " exists already");
            }
            rename(name, newName);
            target = newName;
        }
        if (setLabel) {
            String unit = target;
            jdbc.prepareStatement(
                    """
                    INSERT INTO officer_unit (name, label) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET label = excluded.label, updated_at = now()""",
                    ps -> {
                        ps.setString(1, unit);
                        ps.setString(2, label);
                        return ps.executeUpdate();
                    });
        }
        return find(target);
    }

    /** Deletes unit {@code name}: a 409 when it is configured or still has officers (saying how many). */
    @Transactional
    void delete(String name) {
        requireExisting(name);
        if (isFixed(name)) {
            throw ProblemException.conflict("Unit " + name + " is configured in geoward.units or"
                    + " geoward.dispatch.units and cannot be deleted here; remove it from the configuration first");
        }
        long officers = find(name).officers();
        if (officers > 0) {
            throw ProblemException.conflict("Unit " + name + " still has " + officers + " officer"
                    + (officers == 1 ? "" : "s") + "; move them to another unit first");
        }
        jdbc.prepareStatement("DELETE FROM officer_unit WHERE name = ?", ps -> {
            ps.setString(1, name);
            return ps.executeUpdate();
        });
    }

    /** Moves the officers {@code officerIds} into unit {@code name}; each must be an OFFICER (400 naming which). */
    @Transactional
    UnitInfo move(String name, List<Long> officerIds) {
        requireExisting(name);
        for (int i = 0; i < officerIds.size(); i++) {
            long id = officerIds.get(i);
            int moved = jdbc.prepareStatement("UPDATE subject SET unit = ? WHERE id = ? AND kind = 'OFFICER'", ps -> {
                ps.setString(1, name);
                ps.setLong(2, id);
                return ps.executeUpdate();
            });
            if (moved == 0) {
                throw ProblemException.badRequest(
                        "officerIds[" + i + "]", "officerIds[" + i + "]: " + id + " is not an officer");
            }
            changes.publishEvent(DirectoryChanged.subject(id));
        }
        return find(name);
    }

    private UnitInfo find(String name) {
        return list().stream()
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("unit", name));
    }

    /** Whether the configuration names unit {@code name}: as a unit, or as the one an alert type is routed to. */
    private boolean isFixed(String name) {
        return configured.contains(name) || routed.contains(name);
    }

    private boolean exists(String name) {
        return list().stream().anyMatch(u -> u.name().equals(name));
    }

    private void requireExisting(String name) {
        find(name);
    }

    private void rename(String from, String to) {
        List<Long> officers = jdbc.prepareStatement(
                "UPDATE subject SET unit = ? WHERE unit = ? AND kind = 'OFFICER' RETURNING id", ps -> {
                    ps.setString(1, to);
                    ps.setString(2, from);
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                    return ids;
                });
        officers.forEach(id -> changes.publishEvent(DirectoryChanged.subject(id)));
        references.forEach(r -> r.renameUnit(from, to));
        jdbc.prepareStatement(
                """
                INSERT INTO officer_unit (name, label)
                SELECT ?, label FROM officer_unit WHERE name = ?
                UNION ALL SELECT ?, NULL WHERE NOT EXISTS (SELECT 1 FROM officer_unit WHERE name = ?)""",
                ps -> {
                    ps.setString(1, to);
                    ps.setString(2, from);
                    ps.setString(3, to);
                    ps.setString(4, from);
                    return ps.executeUpdate();
                });
        jdbc.prepareStatement("DELETE FROM officer_unit WHERE name = ?", ps -> {
            ps.setString(1, from);
            return ps.executeUpdate();
        });
    }

    private Map<String, String> labels() {
        return jdbc.prepareStatement("SELECT name, label FROM officer_unit ORDER BY name", ps -> {
            Map<String, String> found = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
            return found;
        });
    }
}
