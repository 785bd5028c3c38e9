package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.geoward.problem.ProblemException;

/**
 * Gathers every row about a person (PIPL's right of access) into a zip: {@code subject.json} (the subject, consent,
 * guardians, devices), {@code sightings.geojson} (every fix kept, a FeatureCollection of Points),
 * {@code alerts.json} (their alerts with each step), {@code notifications.json} (the messages about those alerts and
 * to their phones) and {@code audit.json} (who looked at or changed their data). Built in memory: a person's 90 days
 * at one fix a minute is about 130,000 fixes, some 30 MB of GeoJSON. Thread-safe.
 */
@Singleton
class SubjectExport {
    private static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put(
                "subject.json",
                """
                SELECT jsonb_pretty(jsonb_build_object(
                    'id', s.id::text, 'kind', s.kind, 'name', s.name, 'phone', s.phone, 'trackId', s.track_id,
                    'offlineMinutes', s.offline_minutes, 'unit', s.unit, 'status', s.status,
                    'travelMode', s.travel_mode, 'attributes', s.attributes, 'createdAt', s.created_at,
                    'erasedAt', s.erased_at,
                    'consent', CASE WHEN s.consent_at IS NOT NULL THEN jsonb_build_object(
                        'by', s.consent_by, 'at', s.consent_at, 'textVersion', s.consent_text_version) END,
                    'guardians', (SELECT coalesce(jsonb_agg(g.guardian_id::text ORDER BY g.guardian_id), '[]')
                                  FROM ward_guardian g WHERE g.ward_id = s.id),
                    'wards', (SELECT coalesce(jsonb_agg(g.ward_id::text ORDER BY g.ward_id), '[]')
                              FROM ward_guardian g WHERE g.guardian_id = s.id),
                    'devices', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'id', d.id::text, 'uniqueId', d.unique_id, 'protocol', d.protocol,
                                    'createdAt', d.created_at, 'lastSeenAt', d.last_seen_at) ORDER BY d.id), '[]')
                                FROM device d WHERE d.subject_id = s.id),
                    'latestPosition', (SELECT jsonb_build_object('time', p.time,
                                           'geometry', ST_AsGeoJSON(p.pos)::jsonb, 'accuracy', p.accuracy,
                                           'battery', p.battery)
                                       FROM subject_position p WHERE p.subject_id = s.id)))
                FROM subject s WHERE s.id = ?""");
        PARTS.put(
                "sightings.geojson",
                """
                SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature', 'geometry', ST_AsGeoJSON(si.pos)::json,
                    'properties', json_build_object('time', si.time, 'receivedAt', si.received_at,
                        'accuracy', si.accuracy, 'source', si.source, 'speed', si.speed, 'heading', si.heading,
                        'battery', si.battery, 'sos', si.sos, 'phone', si.phone, 'evidenceUrl', si.evidence_url,
                        'companions', si.companions)) ORDER BY si.time), '[]'))::text
                FROM sighting si WHERE si.subject_id = ?""");
        PARTS.put(
                "alerts.json",
                """
                SELECT jsonb_pretty(coalesce(jsonb_agg(jsonb_build_object(
                    'id', a.id::text, 'type', a.type, 'status', a.status, 'fenceId', a.fence_id::text,
                    'openedAt', a.opened_at, 'resolvedAt', a.resolved_at, 'outcome', a.outcome, 'note', a.note,
                    'position', ST_AsGeoJSON(a.pos)::jsonb, 'lastFixAt', a.last_fix_at,
                    'evidenceUrl', a.evidence_url, 'detail', a.detail,
                    'steps', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', e.at, 'actor', e.actor,
                                  'action', e.action, 'status', e.status, 'detail', e.detail) ORDER BY e.id), '[]')
                              FROM alert_event e WHERE e.alert_id = a.id)) ORDER BY a.id), '[]'))
                FROM alert a WHERE a.subject_id = ?""");
        PARTS.put(
                "notifications.json",
                """
                SELECT jsonb_pretty(coalesce(jsonb_agg(jsonb_build_object(
                    'id', n.id::text, 'alertId', n.alert_id::text, 'channel', n.channel, 'recipient', n.recipient,
                    'text', n.text, 'status', n.status, 'createdAt', n.created_at, 'sentAt', n.sent_at)
                    ORDER BY n.id), '[]'))
                FROM notification n
                WHERE n.alert_id IN (SELECT a.id FROM alert a WHERE a.subject_id = ?)
                   OR (n.channel = 'SMS' AND n.recipient = (SELECT s.phone FROM subject s WHERE s.id = ?))""");
        PARTS.put(
                "audit.json",
                """
                SELECT jsonb_pretty(coalesce(jsonb_agg(jsonb_build_object(
                    'id', e.id, 'at', e.at, 'username', e.username, 'role', e.role, 'action', e.action,
                    'method', e.method, 'endpoint', e.endpoint, 'path', e.path, 'query', e.query,
                    'alertId', e.alert_id::text, 'purpose', e.purpose, 'status', e.status) ORDER BY e.id), '[]'))
                FROM audit_entry e WHERE e.subject_id = ?""");
    }

    private final JdbcOperations jdbc;

    SubjectExport(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The zip of everything about subject {@code id}; a 404 when there is none. */
    @Transactional
    byte[] export(long id) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> part : PARTS.entrySet()) {
                String json = jdbc.prepareStatement(part.getValue(), ps -> {
                    int params = ps.getParameterMetaData().getParameterCount();
                    for (int i = 1; i <= params; i++) {
                        ps.setLong(i, id);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
                if (json == null) {
                    throw ProblemException.notFound("subject", id);
                }
                zip.putNextEntry(new ZipEntry(part.getKey()));
                zip.write(json.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
