-- Geoward's first schema: users, subjects, devices, fences, sightings, alerts, evaluator state.
-- Later changes go in new migrations; an applied migration is never edited.

CREATE EXTENSION IF NOT EXISTS postgis;

-- People and things we track -------------------------------------------------------------------

CREATE TABLE subject (
    id               bigserial PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind IN ('WARD', 'GUARDIAN', 'OFFICER', 'VISITOR')),
    name             text        NOT NULL,
    phone            text,
    track_id         text UNIQUE,                 -- a camera's track id, for VISITORs seen by cameras
    offline_minutes  integer CHECK (offline_minutes > 0),
    unit             text,                        -- OFFICER: POLICE, FISHERIES, ...
    status           text CHECK (status IN ('AVAILABLE', 'BUSY', 'OFF_DUTY')),   -- OFFICER
    travel_mode      text,                        -- OFFICER: WALK, CAR, BOAT
    attributes       jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ward_guardian (
    ward_id     bigint NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    guardian_id bigint NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    PRIMARY KEY (ward_id, guardian_id)
);
CREATE INDEX ward_guardian_guardian ON ward_guardian (guardian_id);

CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,           -- bcrypt
    role          text        NOT NULL CHECK (role IN ('ADMIN', 'DISPATCHER', 'OFFICER', 'FAMILY')),
    subject_id    bigint REFERENCES subject (id), -- an officer's or guardian's own subject
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The wards a FAMILY user may see.
CREATE TABLE user_ward (
    user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    ward_id bigint NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, ward_id)
);

CREATE TABLE device (
    id           bigserial PRIMARY KEY,
    unique_id    text        NOT NULL UNIQUE,     -- IMEI or app id
    protocol     text        NOT NULL,            -- JSON, OSMAND, OWNTRACKS, GT06
    subject_id   bigint      NOT NULL REFERENCES subject (id),
    token_hash   text,                            -- for HTTP protocols: bcrypt of the device token
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz
);

-- Fences --------------------------------------------------------------------------------------

CREATE TABLE fence (
    id                bigserial PRIMARY KEY,
    name              text             NOT NULL,
    kind              text             NOT NULL CHECK (kind IN ('SAFE', 'DANGER', 'BAN')),
    geom              geometry(Geometry, 4326) NOT NULL,  -- as given: polygon, point (circle) or line (corridor)
    area              geometry(Geometry, 4326) NOT NULL,  -- the covered area (circle and corridor buffered), for bbox
    radius_meters     double precision CHECK (radius_meters > 0),
    buffer_meters     double precision CHECK (buffer_meters > 0),
    hysteresis_meters double precision NOT NULL DEFAULT 20 CHECK (hysteresis_meters >= 0),
    dwell_minutes     integer CHECK (dwell_minutes > 0),
    max_gap_minutes   integer          NOT NULL DEFAULT 15 CHECK (max_gap_minutes > 0),
    subjects          bigint[]         NOT NULL DEFAULT '{}',
    active_from       date,
    active_until      date,
    daily_from        time,
    daily_until       time,
    zone              text             NOT NULL DEFAULT 'Asia/Shanghai',
    properties        jsonb            NOT NULL DEFAULT '{}',  -- the Feature's other properties, kept as given
    created_at        timestamptz      NOT NULL DEFAULT now(),
    updated_at        timestamptz      NOT NULL DEFAULT now(),
    retired_at        timestamptz                               -- deleted fences are retired; their alerts stay
);
CREATE INDEX fence_area_gix ON fence USING gist (area) WHERE retired_at IS NULL;

-- Sightings -----------------------------------------------------------------------------------
-- The history is append-only and keyed by (subject, event time). It has no spatial index: every
-- historical fix would pay for one at ingest, and no query needs it. The latest position of each
-- subject lives in subject_position, which carries the GIST index that dispatch's KNN uses.

CREATE TABLE sighting (
    subject_id   bigint      NOT NULL REFERENCES subject (id),
    time         timestamptz NOT NULL,                 -- event time, as reported
    received_at  timestamptz NOT NULL DEFAULT now(),
    pos          geography(Point, 4326) NOT NULL,
    accuracy     real,                                  -- metres
    source       text        NOT NULL DEFAULT 'GPS' CHECK (source IN ('GPS', 'CAMERA', 'CELL', 'MANUAL')),
    speed        real,                                  -- km/h
    heading      real,                                  -- degrees
    battery      real,                                  -- percent
    companions   bigint[],
    sos          boolean     NOT NULL DEFAULT false,
    phone        text,
    evidence_url text,
    device_id    bigint REFERENCES device (id),
    PRIMARY KEY (subject_id, time)
);
CREATE INDEX sighting_time_brin ON sighting USING brin (time);

CREATE TABLE subject_position (
    subject_id bigint PRIMARY KEY REFERENCES subject (id) ON DELETE CASCADE,
    time       timestamptz NOT NULL,
    pos        geography(Point, 4326) NOT NULL,
    accuracy   real,
    battery    real,
    source     text
);
CREATE INDEX subject_position_gix ON subject_position USING gist (pos);

-- Evaluator state: one JSON document per subject (fence states, open episodes), durable so that a
-- restart resumes every episode where it was.
CREATE TABLE subject_state (
    subject_id  bigint PRIMARY KEY REFERENCES subject (id) ON DELETE CASCADE,
    last_fix_at timestamptz,
    state       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Alerts --------------------------------------------------------------------------------------

CREATE TABLE alert (
    id                  bigserial PRIMARY KEY,
    type                text        NOT NULL CHECK (type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS')),
    status              text        NOT NULL DEFAULT 'OPEN'
                                    CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'DISPATCHED', 'RESOLVED')),
    subject_id          bigint      NOT NULL REFERENCES subject (id),
    fence_id            bigint REFERENCES fence (id),
    opened_at           timestamptz NOT NULL,          -- event time of the fix that raised it
    updated_at          timestamptz NOT NULL DEFAULT now(),
    resolved_at         timestamptz,
    outcome             text,
    note                text,
    pos                 geography(Point, 4326),        -- the subject's last known position
    last_fix_at         timestamptz,
    assigned_officer_id bigint REFERENCES subject (id),
    evidence_url        text,
    detail              text
);
-- At most one open alert per subject, fence and type.
CREATE UNIQUE INDEX alert_one_open ON alert (subject_id, coalesce(fence_id, 0), type) WHERE status <> 'RESOLVED';
CREATE INDEX alert_status ON alert (status, opened_at);

-- The timeline of an alert: who did what and when. Its id is the SSE event id.
CREATE TABLE alert_event (
    id       bigserial PRIMARY KEY,
    alert_id bigint      NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,                     -- a username, or 'system'
    action   text        NOT NULL,                     -- OPENED, ACKNOWLEDGED, DISPATCHED, RESOLVED, ...
    status   text        NOT NULL,                     -- the alert's status after this step
    detail   jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_event_alert ON alert_event (alert_id, id);
