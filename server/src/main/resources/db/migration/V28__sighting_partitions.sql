-- Retention the server enforces (docs/privacy.md): `sighting` becomes a table partitioned by event time, one
-- partition per day in the retention zone (geoward.retention.zone, default Asia/Shanghai), so that expiry drops whole
-- days instead of deleting rows. A DEFAULT partition takes what no day partition covers: fixes older than the
-- partitions made here, evidence kept past its day's expiry, and fixes of a day whose partition could not be made.
--
-- The data of an existing install is kept: the old table is renamed, its rows are copied into the new one (the log
-- positions `seq` included, and the sequence goes on where it was), then it is dropped. The copy needs the room of
-- the table once more while it runs. Days older than 120 days get no partition of their own: their rows go to the
-- DEFAULT partition, where the first retention run deletes what has expired.

ALTER TABLE sighting RENAME TO sighting_unpartitioned;
ALTER INDEX sighting_pkey RENAME TO sighting_unpartitioned_pkey;
ALTER INDEX sighting_time_brin RENAME TO sighting_unpartitioned_time_brin;
ALTER INDEX sighting_seq_brin RENAME TO sighting_unpartitioned_seq_brin;

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
    device_id    bigint REFERENCES device (id) ON DELETE SET NULL,
    seq          bigint      NOT NULL DEFAULT nextval('sighting_seq_seq'),   -- the log position (V10)
    PRIMARY KEY (subject_id, time)                      -- the (subject, event time) guard, partition key included
) PARTITION BY RANGE (time);

ALTER SEQUENCE sighting_seq_seq OWNED BY sighting.seq;
CREATE INDEX sighting_time_brin ON sighting USING brin (time);
CREATE INDEX sighting_seq_brin ON sighting USING brin (seq);
CREATE TABLE sighting_default PARTITION OF sighting DEFAULT;

-- Makes the partition of one day in a zone, named sighting_pYYYYMMDD, unless it exists; returns its name. It fails
-- when the DEFAULT partition holds rows of that day (the caller logs it and the rows stay where they are).
CREATE FUNCTION sighting_partition_for(p_day date, p_zone text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_name text := 'sighting_p' || to_char(p_day, 'YYYYMMDD');
BEGIN
    IF to_regclass(v_name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF sighting FOR VALUES FROM (%L) TO (%L)', v_name,
                       p_day::timestamp AT TIME ZONE p_zone, (p_day + 1)::timestamp AT TIME ZONE p_zone);
    END IF;
    RETURN v_name;
END
$$;

SELECT sighting_partition_for(d, 'Asia/Shanghai')
FROM (SELECT DISTINCT (time AT TIME ZONE 'Asia/Shanghai')::date AS d FROM sighting_unpartitioned
      WHERE time >= now() - interval '120 days' AND time < now() + interval '4 days'
      UNION
      SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date + i FROM generate_series(0, 3) AS i) AS days
ORDER BY d;

INSERT INTO sighting (subject_id, time, received_at, pos, accuracy, source, speed, heading, battery, companions, sos,
                      phone, evidence_url, device_id, seq)
SELECT subject_id, time, received_at, pos, accuracy, source, speed, heading, battery, companions, sos, phone,
       evidence_url, device_id, seq
FROM sighting_unpartitioned;

DROP TABLE sighting_unpartitioned;

-- What each retention run did, for admins (GET /api/retention).
CREATE TABLE retention_run (
    id                 bigserial PRIMARY KEY,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    as_of              timestamptz NOT NULL,        -- the "now" the run expired against
    dropped_partitions text[]      NOT NULL DEFAULT '{}',
    dropped_rows       bigint      NOT NULL DEFAULT 0,  -- rows in the dropped partitions, evidence moved out excluded
    deleted_rows       bigint      NOT NULL DEFAULT 0,  -- rows deleted one by one (kinds kept shorter, DEFAULT)
    kept_evidence      bigint      NOT NULL DEFAULT 0,  -- expired rows kept as evidence of an alert
    cleared_photos     bigint      NOT NULL DEFAULT 0,  -- alerts' evidence URLs removed
    cleared_phones     bigint      NOT NULL DEFAULT 0,  -- visitors' phone numbers removed
    error              text
);
