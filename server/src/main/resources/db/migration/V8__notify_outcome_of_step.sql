-- A message says the outcome of the step that caused it: an OPENED step appended in the same transaction as the
-- alert's resolution (a ward out and back within one batch of fixes) told webhooks and the app "outcome: RETURNED".

CREATE OR REPLACE FUNCTION notify_on_alert_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    a       alert;
    s       subject;
    f       fence;
    v_outcome text;
    v_payload jsonb;
BEGIN
    SELECT * INTO a FROM alert WHERE id = NEW.alert_id;
    SELECT * INTO s FROM subject WHERE id = a.subject_id;
    SELECT * INTO f FROM fence WHERE id = a.fence_id;
    -- the outcome belongs to the RESOLVED step only: the alert row may already be resolved when an earlier step of
    -- the same transaction (a ward out and back within one batch) is appended
    v_outcome := CASE WHEN NEW.action = 'RESOLVED' THEN coalesce(NEW.detail ->> 'outcome', a.outcome) END;
    v_payload := jsonb_build_object(
        'eventId', NEW.id, 'alertId', a.id, 'action', NEW.action, 'actor', NEW.actor, 'at', NEW.at,
        'type', a.type, 'status', NEW.status, 'outcome', v_outcome, 'subjectId', a.subject_id,
        'subjectName', s.name, 'fenceId', a.fence_id, 'fenceName', f.name, 'openedAt', a.opened_at,
        'lon', ST_X(a.pos::geometry), 'lat', ST_Y(a.pos::geometry), 'detail', NEW.detail);

    PERFORM notify_enqueue(NEW, 'WEBHOOK', w.id::text, NEW.action || ' ' || a.type || ' #' || a.id, v_payload)
    FROM webhook_subscription w WHERE w.active;

    IF NEW.action = 'OPENED' AND a.type IN ('WANDER', 'DANGER', 'SOS', 'OFFLINE') THEN
        PERFORM notify_guardians(NEW, a.subject_id, notify_text(a, s, f, a.type), v_payload);
        PERFORM notify_role(NEW, 'DISPATCHER', NULL, notify_text(a, s, f, a.type), v_payload);
    ELSIF NEW.action = 'RESOLVED' AND v_outcome = 'RETURNED' THEN
        PERFORM notify_guardians(NEW, a.subject_id, notify_text(a, s, f, 'RETURNED'), v_payload);
    ELSIF NEW.action = 'OPENED' AND a.type = 'LOITER' THEN
        PERFORM notify_role(NEW, 'OFFICER', 'FISHERIES',
                            format('禁渔区“%s”：%s 已停留 %s 分钟', coalesce(f.name, '?'), s.name,
                                   coalesce(f.dwell_minutes::text, '?')),
                            v_payload);
        PERFORM notify_loiterer(NEW, a, s, f, v_payload);
    END IF;
    RETURN NULL;
END
$$;
