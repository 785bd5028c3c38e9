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

-- Their messages (org.geoward.notify.NotificationRouter sends them to the ward's family and the dispatchers, as for
-- WANDER, DANGER, SOS and OFFLINE), editable like the others (V38).
ALTER TABLE notify_template DROP CONSTRAINT notify_template_alert_type_check;
ALTER TABLE notify_template ADD CONSTRAINT notify_template_alert_type_check
    CHECK (alert_type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'RETURNED', 'LOITER_OFFICERS',
                          'GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN'));
INSERT INTO notify_template (fence_id, alert_type, language, text) VALUES
    (NULL, 'GAS',        'zh-CN', '【Geoward】{name}家中燃气报警（{time}），请立即联系，已通知就近民警。'),
    (NULL, 'SMOKE',      'zh-CN', '【Geoward】{name}家中烟雾报警（{time}），请立即联系，已通知就近民警。'),
    (NULL, 'WATER_LEAK', 'zh-CN', '【Geoward】{name}家中漏水报警（{time}），请尽快联系或上门查看。'),
    (NULL, 'FALL',       'zh-CN', '【Geoward】{name}于{time}可能跌倒，请立即联系，已通知就近民警。'),
    (NULL, 'DOOR_OPEN',  'zh-CN', '【Geoward】{name}家门夜间未关（{time}），请尽快联系。'),
    (NULL, 'GAS',        'en', '[Geoward] Gas alarm at {name}''s home at {time}. Please call at once; the nearest officer is on the way.'),
    (NULL, 'SMOKE',      'en', '[Geoward] Smoke alarm at {name}''s home at {time}. Please call at once; the nearest officer is on the way.'),
    (NULL, 'WATER_LEAK', 'en', '[Geoward] Water leak at {name}''s home at {time}. Please call or visit soon.'),
    (NULL, 'FALL',       'en', '[Geoward] {name} may have fallen at {time}. Please call at once; the nearest officer is on the way.'),
    (NULL, 'DOOR_OPEN',  'en', '[Geoward] {name}''s door is open at night ({time}). Please call soon.')
ON CONFLICT DO NOTHING;
