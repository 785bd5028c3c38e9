-- Home sensor alarms (issue 19): devices at a ward's home (gas, smoke, water leak, fall detector, a door left open
-- at night) report alarms over HTTP (org.geoward.sensor); each alarm opens an alert of its own type at the home.
-- At most one open alert per ward and type (alert_one_open, as for every evaluator alert): a repeated alarm while
-- it is open raises nothing new.

ALTER TABLE alert DROP CONSTRAINT alert_type_check;
ALTER TABLE alert ADD CONSTRAINT alert_type_check
    CHECK (type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'WORK_ORDER',
                    'GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN'));

CREATE TABLE home_sensor (
    id            bigserial PRIMARY KEY,
    subject_id    bigint      NOT NULL REFERENCES subject (id) ON DELETE CASCADE,   -- the ward whose home it is
    kind          text        NOT NULL CHECK (kind IN ('GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN')),
    unique_id     text        NOT NULL UNIQUE,      -- what the device calls itself (serial number, MAC)
    token_hash    text        NOT NULL,             -- bcrypt of the token it presents with each alarm
    pos           geography(Point, 4326) NOT NULL,  -- the home
    room          text,                             -- where in the home, as the family says it ("厨房")
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_alarm_at timestamptz
);
CREATE INDEX home_sensor_subject ON home_sensor (subject_id);

ALTER TABLE notify_template DROP CONSTRAINT notify_template_alert_type_check;
ALTER TABLE notify_template ADD CONSTRAINT notify_template_alert_type_check
    CHECK (alert_type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'RETURNED',
                          'GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN'));
INSERT INTO notify_template (fence_id, alert_type, text) VALUES
    (NULL, 'GAS',        '【Geoward】{name}家中燃气报警（{time}），请立即联系，已通知就近民警。'),
    (NULL, 'SMOKE',      '【Geoward】{name}家中烟雾报警（{time}），请立即联系，已通知就近民警。'),
    (NULL, 'WATER_LEAK', '【Geoward】{name}家中漏水报警（{time}），请尽快联系或上门查看。'),
    (NULL, 'FALL',       '【Geoward】{name}于{time}可能跌倒，请立即联系，已通知就近民警。'),
    (NULL, 'DOOR_OPEN',  '【Geoward】{name}家门夜间未关（{time}），请尽快联系。')
ON CONFLICT DO NOTHING;

-- Who is told: the home alarms go to the ward's family (SMS to the guardians, IN_APP to FAMILY users) and to every
-- DISPATCHER, as WANDER, DANGER, SOS and OFFLINE do; the rest of the trigger is V8's, unchanged.
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

    IF NEW.action = 'OPENED'
       AND a.type IN ('WANDER', 'DANGER', 'SOS', 'OFFLINE', 'GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN') THEN
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
