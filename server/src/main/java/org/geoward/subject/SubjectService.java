package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;
import org.geoward.problem.ProblemException;

/** Registers, changes and lists subjects. Each public method is one transaction. */
@Singleton
class SubjectService {
    private static final String SELECT =
            """
            SELECT s.id, s.kind, s.name, s.phone, s.offline_minutes, s.unit, s.status, s.travel_mode, s.created_at,
                   s.category,
                   s.consent_by, s.consent_at, s.consent_text_version, s.erased_at,
                   ARRAY(SELECT g.guardian_id FROM ward_guardian g WHERE g.ward_id = s.id ORDER BY g.guardian_id)
                       AS guardians,
                   p.time AS seen_at, ST_X(p.pos::geometry) AS seen_lon, ST_Y(p.pos::geometry) AS seen_lat,
                   p.accuracy AS seen_accuracy, p.battery AS seen_battery
            FROM subject s LEFT JOIN subject_position p ON p.subject_id = s.id""";

    private final JdbcOperations jdbc;
    private final SubjectDirectory directory;
    private final ApplicationEventPublisher<DirectoryChanged> changes;

    SubjectService(
            JdbcOperations jdbc,
            SubjectDirectory directory,
            ApplicationEventPublisher<DirectoryChanged> changes,
            Units units) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.changes = changes;
        this.units = units;
    }

    private final Units units;

    private SubjectDraft checkedUnit(SubjectDraft draft) {
        if (draft.unit() != null) {
            Unit.checked(draft.unit(), units.names());
        }
        return draft;
    }

    /** Registers the subject {@code body} describes. */
    @Transactional
    public Subject create(JsonNode body) {
        SubjectDraft draft = checkedUnit(SubjectDraft.read(body, SubjectDraft.EMPTY));
        checkGuardians(draft.guardians());
        long id = jdbc.prepareStatement(
                """
                INSERT INTO subject (kind, name, phone, offline_minutes, unit, status, travel_mode, category)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                ps -> {
                    bind(ps, draft, 2);
                    ps.setString(1, draft.kind().name());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
        replaceGuardians(id, draft.guardians());
        if (body.get("consent") != null) {
            if (draft.kind() != SubjectKind.WARD) {
                throw ProblemException.badRequest(
                        "consent", "consent is recorded for a WARD, not for a " + draft.kind());
            }
            recordConsent(id, ConsentDraft.read(body.get("consent"), "consent"));
        }
        return find(id);
    }

    /** Records a guardian's consent to tracking the ward {@code id} (replacing an earlier record). */
    @Transactional
    public Subject consent(long id, JsonNode body) {
        Subject stored = find(id);
        if (stored.kind() != SubjectKind.WARD) {
            throw ProblemException.badRequest(
                    null, "consent is recorded for a WARD; subject " + id + " is a " + stored.kind());
        }
        if (stored.erasedAt() != null) {
            throw ProblemException.conflict("subject " + id + " was erased; register the person again instead");
        }
        recordConsent(id, ConsentDraft.read(body, null));
        changes.publishEvent(DirectoryChanged.subject(id));
        return find(id);
    }

    /** Withdraws the consent on record for ward {@code id}: its fixes are refused from now on. */
    @Transactional
    public Subject withdrawConsent(long id) {
        find(id);
        jdbc.prepareStatement(
                "UPDATE subject SET consent_by = NULL, consent_at = NULL, consent_text_version = NULL WHERE id = ?",
                ps -> {
                    ps.setLong(1, id);
                    return ps.executeUpdate();
                });
        changes.publishEvent(DirectoryChanged.subject(id));
        return find(id);
    }

    private void recordConsent(long id, ConsentDraft consent) {
        jdbc.prepareStatement(
                "UPDATE subject SET consent_by = ?, consent_at = now(), consent_text_version = ? WHERE id = ?", ps -> {
                    ps.setString(1, consent.by());
                    ps.setString(2, consent.textVersion());
                    ps.setLong(3, id);
                    return ps.executeUpdate();
                });
    }

    /** Changes the subject {@code id}: members present in {@code body} replace, absent ones are kept. */
    @Transactional
    public Subject update(long id, JsonNode body) {
        Subject stored = find(id);
        SubjectDraft draft = checkedUnit(SubjectDraft.read(body, draftOf(stored)));
        checkGuardians(draft.guardians());
        jdbc.prepareStatement(
                """
                UPDATE subject SET name = ?, phone = ?, offline_minutes = ?, unit = ?, status = ?, travel_mode = ?,
                                   category = ?
                WHERE id = ?""",
                ps -> {
                    bind(ps, draft, 1);
                    ps.setLong(8, id);
                    return ps.executeUpdate();
                });
        replaceGuardians(id, draft.guardians());
        changes.publishEvent(DirectoryChanged.subject(id));
        return find(id);
    }

    /** The subject {@code id}; a 404 when there is none. */
    @Transactional
    public Subject find(long id) {
        List<Subject> found = query(SELECT + " WHERE s.id = ?", ps -> ps.setLong(1, id));
        if (found.isEmpty()) {
            throw ProblemException.notFound("subject", id);
        }
        return found.get(0);
    }

    /** Every subject, or every subject of {@code kind} when it is not null, oldest first. */
    @Transactional
    public List<Subject> list(SubjectKind kind) {
        return list(kind, null, Integer.MAX_VALUE, 0);
    }

    /**
     * One page of subjects in id order: of {@code kind} when given, only those in {@code only} when given (a family's
     * wards), at most {@code limit} after skipping {@code offset}. Filtered and paged in SQL.
     */
    @Transactional
    public List<Subject> list(SubjectKind kind, Collection<Long> only, int limit, int offset) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
        if (kind != null) {
            sql.append(" AND s.kind = ?");
        }
        if (only != null) {
            sql.append(" AND s.id = ANY (?)");
        }
        sql.append(" ORDER BY s.id LIMIT ? OFFSET ?");
        return query(sql.toString(), ps -> {
            int i = 1;
            if (kind != null) {
                ps.setString(i++, kind.name());
            }
            if (only != null) {
                ps.setArray(i++, ps.getConnection().createArrayOf("bigint", only.toArray(Long[]::new)));
            }
            ps.setLong(i++, limit);
            ps.setLong(i, offset);
        });
    }

    private void checkGuardians(Collection<Long> guardians) {
        Map<Long, SubjectInfo> found = directory.findAll(guardians);
        int index = 0;
        for (long id : guardians) {
            SubjectInfo guardian = found.get(id);
            String field = "guardians[" + index++ + "]";
            if (guardian == null) {
                throw ProblemException.badRequest(field, "guardian " + id + " does not exist");
            }
            if (guardian.kind() != SubjectKind.GUARDIAN) {
                throw ProblemException.badRequest(
                        field,
                        "subject " + id + " is a " + guardian.kind() + ", not a GUARDIAN; register the guardian"
                                + " with kind GUARDIAN first");
            }
        }
    }

    private void replaceGuardians(long wardId, Collection<Long> guardians) {
        jdbc.prepareStatement("DELETE FROM ward_guardian WHERE ward_id = ?", ps -> {
            ps.setLong(1, wardId);
            return ps.executeUpdate();
        });
        if (guardians.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("INSERT INTO ward_guardian (ward_id, guardian_id) SELECT ?, unnest(?::bigint[])", ps -> {
            ps.setLong(1, wardId);
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", guardians.toArray()));
            return ps.executeUpdate();
        });
    }

    /** Binds name, phone, offline minutes, unit, status, travel mode and category from parameter {@code first} on. */
    private static void bind(PreparedStatement ps, SubjectDraft draft, int first) throws SQLException {
        ps.setString(first, draft.name());
        ps.setString(first + 1, draft.phone());
        if (draft.offlineMinutes() == null) {
            ps.setNull(first + 2, Types.INTEGER);
        } else {
            ps.setInt(first + 2, draft.offlineMinutes());
        }
        ps.setString(first + 3, draft.unit());
        ps.setString(first + 4, draft.status() == null ? null : draft.status().name());
        ps.setString(
                first + 5,
                draft.travelMode() == null ? null : draft.travelMode().name());
        ps.setString(
                first + 6, draft.category() == null ? null : draft.category().name());
    }

    private static SubjectDraft draftOf(Subject s) {
        return new SubjectDraft(
                s.kind(),
                s.name(),
                s.phone(),
                s.guardians() == null
                        ? Set.of()
                        : new LinkedHashSet<>(
                                s.guardians().stream().map(Long::valueOf).toList()),
                s.offlineMinutes(),
                s.unit(),
                s.status(),
                s.travelMode(),
                s.category());
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Subject> query(String sql, Binder binder) {
        return jdbc.prepareStatement(sql, ps -> {
            binder.bind(ps);
            List<Subject> subjects = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    subjects.add(read(rs));
                }
            }
            return subjects;
        });
    }

    private static Subject read(ResultSet rs) throws SQLException {
        SubjectKind kind = SubjectKind.valueOf(rs.getString("kind"));
        int offlineValue = rs.getInt("offline_minutes");
        Integer offline = rs.wasNull() ? null : offlineValue;
        List<String> guardians = Arrays.stream((Long[]) rs.getArray("guardians").getArray())
                .map(String::valueOf)
                .toList();
        String unit = rs.getString("unit");
        String status = rs.getString("status");
        String travel = rs.getString("travel_mode");
        return new Subject(
                String.valueOf(rs.getLong("id")),
                kind,
                rs.getString("name"),
                rs.getString("phone"),
                kind == SubjectKind.WARD ? guardians : null,
                offline,
                unit,
                status == null ? null : OfficerStatus.valueOf(status),
                travel == null ? null : TravelMode.valueOf(travel),
                rs.getTimestamp("created_at").toInstant().toString(),
                lastSeen(rs),
                consent(rs),
                rs.getTimestamp("erased_at") == null
                        ? null
                        : rs.getTimestamp("erased_at").toInstant().toString(),
                rs.getString("category") == null ? null : SubjectCategory.valueOf(rs.getString("category")));
    }

    private static Subject.Consent consent(ResultSet rs) throws SQLException {
        java.sql.Timestamp at = rs.getTimestamp("consent_at");
        if (at == null) {
            return null;
        }
        return new Subject.Consent(
                rs.getString("consent_by"), at.toInstant().toString(), rs.getString("consent_text_version"));
    }

    private static Subject.LastSeen lastSeen(ResultSet rs) throws SQLException {
        java.sql.Timestamp at = rs.getTimestamp("seen_at");
        if (at == null) {
            return null;
        }
        return new Subject.LastSeen(
                at.toInstant().toString(),
                rs.getDouble("seen_lon"),
                rs.getDouble("seen_lat"),
                rs.getObject("seen_accuracy") == null ? null : rs.getDouble("seen_accuracy"),
                rs.getObject("seen_battery") == null ? null : rs.getDouble("seen_battery"));
    }
}
