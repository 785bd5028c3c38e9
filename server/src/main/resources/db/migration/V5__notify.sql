-- Notifications: an outbox written by a trigger on alert_event, so that every alert change and the messages it
-- causes commit (or roll back) together, whichever code path wrote the alert. The delivery worker
-- (org.geoward.notify.DeliveryWorker) sends PENDING rows and records every attempt.
--
-- Who gets what (notify_on_alert_event below):
--   every alert_event                     → WEBHOOK to each active subscription
--   OPENED WANDER, DANGER, SOS, OFFLINE   → the ward's guardians (SMS to guardian phones, IN_APP to FAMILY users of
--                                           the ward) and IN_APP to every DISPATCHER
--   RESOLVED with outcome RETURNED        → the ward's guardians ("back in the safe zone", SMS + IN_APP)
--   OPENED LOITER                         → IN_APP to FISHERIES officers; a warning SMS to the visitor's phone from
--                                           the fence's template, at most once per phone per quiet period
--                                           (a suppressed warning is kept with status SUPPRESSED)

-- Webhook subscribers. The secret signs each delivery (HMAC-SHA256); it is shown once, when created.
CREATE TABLE webhook_subscription (
    id         bigserial PRIMARY KEY,
    url        text        NOT NULL,
    secret     text        NOT NULL,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Message texts per fence and alert type; fence_id NULL is the default for every fence. alert_type RETURNED is the
-- "back in the safe zone" message. Placeholders: {name} {place} {time} {minutes}.
CREATE TABLE notify_template (
    id         bigserial PRIMARY KEY,
    fence_id   bigint REFERENCES fence (id) ON DELETE CASCADE,
    alert_type text NOT NULL CHECK (alert_type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'RETURNED')),
    text       text NOT NULL
);
CREATE UNIQUE INDEX notify_template_one ON notify_template (coalesce(fence_id, 0), alert_type);

INSERT INTO notify_template (fence_id, alert_type, text) VALUES
    (NULL, 'WANDER',   '【Geoward】{name}于{time}独自离开了安全区域“{place}”，请尽快联系或寻找。'),
    (NULL, 'DANGER',   '【Geoward】{name}于{time}进入危险区域“{place}”，请立即联系。'),
    (NULL, 'SOS',      '【Geoward】{name}于{time}发出紧急求助（SOS），请立即联系。'),
    (NULL, 'OFFLINE',  '【Geoward】{name}的定位设备自{time}起已超过{minutes}分钟没有上报位置。'),
    (NULL, 'RETURNED', '【Geoward】{name}已于{time}回到安全区域“{place}”。'),
    (NULL, 'LOITER',   '【涪陵渔政】您已在{place}停留{minutes}分钟。长江十年禁渔，劝君不捕江里鱼，万千鱼仔在腹中。'
                       || '请尽快离开禁渔区，谢谢配合。');

-- Settings the trigger needs; one row, written from configuration at start (geoward.notify.sms-quiet-hours).
CREATE TABLE notify_setting (
    id              integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    sms_quiet_hours integer NOT NULL DEFAULT 24 CHECK (sms_quiet_hours >= 0)
);
INSERT INTO notify_setting DEFAULT VALUES;

-- When each phone was last sent a LOITER warning: no second warning within the quiet period.
CREATE TABLE sms_quiet (
    phone     text PRIMARY KEY,
    warned_at timestamptz NOT NULL
);

-- The outbox. dedupe_key is the stable message id: receivers drop repeats by it (webhook header X-Geoward-Id).
CREATE TABLE notification (
    id              bigserial PRIMARY KEY,
    alert_id        bigint      NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    alert_event_id  bigint      NOT NULL REFERENCES alert_event (id) ON DELETE CASCADE,
    channel         text        NOT NULL CHECK (channel IN ('IN_APP', 'SMS', 'WEBHOOK')),
    recipient       text        NOT NULL,        -- IN_APP: app_user id; SMS: phone; WEBHOOK: subscription id
    text            text        NOT NULL,
    payload         jsonb       NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'PENDING'
                                CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    read_at         timestamptz,                 -- IN_APP: when the user marked it read
    dedupe_key      text        NOT NULL UNIQUE
);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_alert ON notification (alert_id);
CREATE INDEX notification_unread ON notification (recipient) WHERE channel = 'IN_APP' AND read_at IS NULL;

-- Every delivery attempt, successful or not.
CREATE TABLE notification_attempt (
    id              bigserial PRIMARY KEY,
    notification_id bigint      NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    result          text        NOT NULL CHECK (result IN ('SENT', 'FAILED')),
    error           text
);
CREATE INDEX notification_attempt_notification ON notification_attempt (notification_id, id);

-- What the recording SMS gateway "sent": the UI shows it as "SMS sent", the tests read it.
CREATE TABLE sms_message (
    id              bigserial PRIMARY KEY,
    message_id      text        NOT NULL UNIQUE, -- the notification's dedupe key
    phone           text        NOT NULL,
    text            text        NOT NULL,
    sent_at         timestamptz NOT NULL DEFAULT now()
);

-- Helpers ------------------------------------------------------------------------------------------------------------

-- Queues one message; a message already queued under the same key is left as it is.
CREATE FUNCTION notify_enqueue(ev alert_event, p_channel text, p_recipient text, p_text text, p_payload jsonb,
                               p_status text DEFAULT 'PENDING', p_note text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO notification (alert_id, alert_event_id, channel, recipient, text, payload, status, last_error,
                              dedupe_key)
    VALUES (ev.alert_id, ev.id, p_channel, p_recipient, p_text, p_payload, p_status, p_note,
            'geoward-' || ev.id || '-' || p_channel || '-' || p_recipient)
    ON CONFLICT (dedupe_key) DO NOTHING
$$;

-- The text for an alert: the fence's template for the type, else the default, with the placeholders filled in.
CREATE FUNCTION notify_text(a alert, s subject, f fence, p_type text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_text    text;
    v_at      timestamptz := CASE WHEN p_type = 'RETURNED' THEN coalesce(a.resolved_at, now()) ELSE a.opened_at END;
    v_minutes integer     := CASE a.type WHEN 'LOITER' THEN f.dwell_minutes WHEN 'OFFLINE' THEN s.offline_minutes END;
BEGIN
    SELECT t.text INTO v_text FROM notify_template t
    WHERE t.alert_type = p_type AND (t.fence_id = f.id OR t.fence_id IS NULL)
    ORDER BY t.fence_id NULLS LAST LIMIT 1;
    v_text := replace(v_text, '{name}', s.name);
    v_text := replace(v_text, '{place}', coalesce(f.name, '最后已知位置'));
    v_text := replace(v_text, '{time}', to_char(v_at AT TIME ZONE coalesce(f.zone, 'Asia/Shanghai'), 'MM-DD HH24:MI'));
    v_text := replace(v_text, '{minutes}',
                      coalesce(v_minutes, round(extract(epoch FROM now() - a.opened_at) / 60))::text);
    RETURN v_text;
END
$$;

-- SMS to each guardian's phone, IN_APP to each FAMILY user linked to the ward.
CREATE FUNCTION notify_guardians(ev alert_event, p_ward bigint, p_text text, p_payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM notify_enqueue(ev, 'SMS', g.phone, p_text, p_payload)
    FROM ward_guardian wg JOIN subject g ON g.id = wg.guardian_id
    WHERE wg.ward_id = p_ward AND g.phone IS NOT NULL;
    PERFORM notify_enqueue(ev, 'IN_APP', uw.user_id::text, p_text, p_payload)
    FROM user_ward uw JOIN app_user u ON u.id = uw.user_id
    WHERE uw.ward_id = p_ward AND u.role = 'FAMILY';
END
$$;

-- IN_APP to every user with the role (and, when a unit is given, whose own subject belongs to it).
CREATE FUNCTION notify_role(ev alert_event, p_role text, p_unit text, p_text text, p_payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM notify_enqueue(ev, 'IN_APP', u.id::text, p_text, p_payload)
    FROM app_user u LEFT JOIN subject o ON o.id = u.subject_id
    WHERE u.role = p_role AND (p_unit IS NULL OR o.unit = p_unit);
END
$$;

-- The warning SMS to a person loitering in a ban zone: to the subject's phone or the latest phone their sightings
-- reported; once per episode (one LOITER alert is one episode) and at most once per phone per quiet period.
CREATE FUNCTION notify_loiterer(ev alert_event, a alert, s subject, f fence, p_payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_phone text := s.phone;
    v_fresh boolean;
BEGIN
    IF v_phone IS NULL THEN
        SELECT si.phone INTO v_phone FROM sighting si
        WHERE si.subject_id = s.id AND si.phone IS NOT NULL ORDER BY si.time DESC LIMIT 1;
    END IF;
    IF v_phone IS NULL THEN
        RETURN;
    END IF;
    -- claims the phone's quiet period atomically: a row comes back only when no warning is within it
    INSERT INTO sms_quiet AS q (phone, warned_at) VALUES (v_phone, now())
    ON CONFLICT (phone) DO UPDATE SET warned_at = EXCLUDED.warned_at
        WHERE q.warned_at <= now() - make_interval(hours => (SELECT n.sms_quiet_hours FROM notify_setting n))
    RETURNING true INTO v_fresh;
    IF v_fresh THEN
        PERFORM notify_enqueue(ev, 'SMS', v_phone, notify_text(a, s, f, 'LOITER'), p_payload);
    ELSE
        PERFORM notify_enqueue(ev, 'SMS', v_phone, notify_text(a, s, f, 'LOITER'), p_payload, 'SUPPRESSED',
                               'already warned within the quiet period');
    END IF;
END
$$;

-- The trigger ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION notify_on_alert_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
    v_outcome := coalesce(NEW.detail ->> 'outcome', a.outcome);
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

CREATE TRIGGER alert_event_notifies
    AFTER INSERT ON alert_event
    FOR EACH ROW EXECUTE FUNCTION notify_on_alert_event();
