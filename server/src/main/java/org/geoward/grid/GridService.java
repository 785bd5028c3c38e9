package org.geoward.grid;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.account.Visibility.Condition;
import org.geoward.json.JsonFields;
import org.geoward.problem.ProblemException;

/**
 * Reads grids with their officers and open items, and replaces a grid's officers. Each public method is one
 * transaction. Thread-safe.
 */
@Singleton
class GridService {
    private static final String GRIDS =
            """
            SELECT id, name, properties->>'unit' AS unit FROM fence
            WHERE kind = 'GRID' AND retired_at IS NULL AND (?::bigint IS NULL OR id = ?) ORDER BY name, id""";

    private static final String MEMBERS =
            """
            SELECT g.fence_id, s.id, s.name, g.role, s.unit, s.status
            FROM grid_officer g JOIN subject s ON s.id = g.officer_id
            WHERE g.fence_id = ANY (?) ORDER BY g.role, s.name""";

    private static final String ITEMS =
            """
            SELECT f.id AS fence_id, a.id, a.type, a.status, a.opened_at, s.name
            FROM fence f
            JOIN alert a ON a.status <> 'RESOLVED' AND a.pos IS NOT NULL AND ST_Covers(f.area, a.pos::geometry)
            JOIN subject s ON s.id = a.subject_id
            WHERE f.id = ANY (?) AND %s ORDER BY a.opened_at, a.id""";

    private static final Condition NONE = new Condition("TRUE", List.of());

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;

    GridService(JdbcOperations jdbc, TransactionOperations<Connection> transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Every live grid, by name, with the open items {@code items} admits (an alert {@code a} in a grid {@code f};
     * empty for all of them).
     */
    List<Grid> list(Optional<Condition> items) {
        return transactions.executeRead(tx -> load(null, items));
    }

    /** The grid with fence id {@code id}, with the open items {@code items} admits, or 404. */
    Grid find(long id, Optional<Condition> items) {
        return transactions.executeRead(tx -> load(id, items)).stream()
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("grid", id));
    }

    /**
     * Replaces the officers of grid {@code id} with {@code members}: a JSON array of {@code {officerId, role}}. 400
     * naming the element at fault when an officer is missing, not an OFFICER, or a role unknown; 404 for no grid.
     */
    Grid replaceOfficers(long id, JsonNode members) {
        Map<Long, OfficerRole> wanted = members(members, "");
        transactions.executeWrite(tx -> {
            requireGrid(id);
            write(id, wanted, "");
            return null;
        });
        return find(id, Optional.empty());
    }

    /** Checks an array of {@code {officerId, role}} from a request; {@code path} prefixes the field names. */
    static Map<Long, OfficerRole> members(JsonNode members, String path) {
        if (members == null || members.isNull()) {
            return Map.of();
        }
        if (!members.isArray()) {
            throw ProblemException.badRequest(
                    path + "officers", "officers must be an array of {\"officerId\", \"role\"} objects");
        }
        Map<Long, OfficerRole> wanted = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            JsonNode member = members.get(i);
            String field = path + "officers[" + i + "]";
            if (member == null || !member.isObject()) {
                throw ProblemException.badRequest(field, field + " must be an object {\"officerId\", \"role\"}");
            }
            JsonNode officer = member.get("officerId");
            if (officer == null || officer.isNull()) {
                throw ProblemException.badRequest(field + ".officerId", field + ".officerId is required");
            }
            long officerId = JsonFields.id(officer, field + ".officerId");
            OfficerRole role = JsonFields.optionalEnum(member, "role", field + ".role", OfficerRole.class);
            wanted.put(officerId, role == null ? OfficerRole.GRID : role);
        }
        return wanted;
    }

    /** Checks that every officer id in {@code wanted} is an OFFICER subject; 400 naming the element if not. */
    void checkOfficers(Map<Long, OfficerRole> wanted, String path) {
        transactions.executeRead(tx -> {
            check(wanted, path);
            return null;
        });
    }

    /** Writes the officers of grid {@code id} in a transaction of its own. */
    void writeOfficers(long id, Map<Long, OfficerRole> wanted, String path) {
        transactions.executeWrite(tx -> {
            write(id, wanted, path);
            return null;
        });
    }

    private void write(long id, Map<Long, OfficerRole> wanted, String path) {
        check(wanted, path);
        jdbc.prepareStatement("DELETE FROM grid_officer WHERE fence_id = ?", ps -> {
            ps.setLong(1, id);
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("INSERT INTO grid_officer (fence_id, officer_id, role) VALUES (?, ?, ?)", ps -> {
            for (Map.Entry<Long, OfficerRole> e : wanted.entrySet()) {
                ps.setLong(1, id);
                ps.setLong(2, e.getKey());
                ps.setString(3, e.getValue().name());
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    private void check(Map<Long, OfficerRole> wanted, String path) {
        int i = 0;
        for (long officerId : wanted.keySet()) {
            String kind = jdbc.prepareStatement("SELECT kind FROM subject WHERE id = ?", ps -> {
                ps.setLong(1, officerId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            if (!"OFFICER".equals(kind)) {
                String field = path + "officers[" + i + "].officerId";
                throw ProblemException.badRequest(
                        field,
                        field + ": subject " + officerId + (kind == null ? " does not exist" : " is a " + kind)
                                + "; a grid's officers must be OFFICER subjects");
            }
            i++;
        }
    }

    private void requireGrid(long id) {
        boolean found = jdbc.prepareStatement(
                "SELECT 1 FROM fence WHERE id = ? AND kind = 'GRID' AND retired_at IS NULL FOR UPDATE", ps -> {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                });
        if (!found) {
            throw ProblemException.notFound("grid", id);
        }
    }

    private List<Grid> load(Long onlyId, Optional<Condition> admitted) {
        record Row(long id, String name, String unit) {}
        List<Row> rows = jdbc.prepareStatement(GRIDS, ps -> {
            if (onlyId == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
                ps.setNull(2, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, onlyId);
                ps.setLong(2, onlyId);
            }
            List<Row> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Row(rs.getLong("id"), rs.getString("name"), rs.getString("unit")));
                }
            }
            return found;
        });
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        Map<Long, List<Grid.Member>> members = byGrid(
                MEMBERS,
                ids,
                NONE,
                rs -> new Grid.Member(
                        Long.toString(rs.getLong("id")),
                        rs.getString("name"),
                        OfficerRole.valueOf(rs.getString("role")),
                        rs.getString("unit"),
                        rs.getString("status")));
        Condition condition = admitted.orElse(NONE);
        Map<Long, List<Grid.OpenItem>> items = byGrid(
                ITEMS.formatted(condition.sql()),
                ids,
                condition,
                rs -> new Grid.OpenItem(
                        Long.toString(rs.getLong("id")),
                        rs.getString("type"),
                        rs.getString("status"),
                        rs.getTimestamp("opened_at").toInstant(),
                        rs.getString("name")));
        return rows.stream()
                .map(r -> new Grid(
                        Long.toString(r.id()),
                        r.name(),
                        r.unit(),
                        members.getOrDefault(r.id(), List.of()),
                        items.getOrDefault(r.id(), List.of())))
                .toList();
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> Map<Long, List<T>> byGrid(String sql, Long[] ids, Condition condition, RowReader<T> reader) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
            condition.bind(ps, 2);
            Map<Long, List<T>> found = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.computeIfAbsent(rs.getLong("fence_id"), k -> new ArrayList<>())
                            .add(reader.read(rs));
                }
            }
            return found;
        });
    }
}
