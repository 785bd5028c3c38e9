-- Retention by partition drops for every kind (docs/privacy.md): `sighting` is list-partitioned by the kind of the
-- subject the fix is of (WARD, GUARDIAN, OFFICER, VISITOR), and each kind's table is range-partitioned by day in the
-- retention zone, as V28 did for the whole table. Expiry then drops whole days of each kind at that kind's retention
-- (visitors after 7 days, officers after 30, wards and guardians after 90) instead of deleting the shorter-lived
-- kinds row by row. Each kind has a DEFAULT partition for evidence kept past its day and for days without a
-- partition of their own. Rows written without a kind (by hand; ingest always names it) land in
-- sighting_unclassified, where the retention run deletes them row by row by their subject's kind.
--
-- The data of an existing install is kept, as in V28: the old table is renamed, every row is copied into the new one
-- with its log position `seq` and its subject's kind, the sequence goes on where it was, the old table is dropped.
-- The copy needs the room of the table once more while it runs.

ALTER TABLE sighting RENAME TO sighting_by_day;
ALTER INDEX sighting_pkey RENAME TO sighting_by_day_pkey;
ALTER INDEX sighting_time_brin RENAME TO sighting_by_day_time_brin;
ALTER INDEX sighting_seq_brin RENAME TO sighting_by_day_seq_brin;
ALTER SEQUENCE sighting_seq_seq OWNED BY NONE;

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
    kind         text        NOT NULL DEFAULT 'UNCLASSIFIED',                -- the subject's kind: the retention class
    -- the (subject, event time) guard: a subject's kind never changes (PUT /api/subjects refuses it), so with the
    -- partition key included it still guards each (subject, event time) once
    PRIMARY KEY (subject_id, time, kind)
) PARTITION BY LIST (kind);

ALTER SEQUENCE sighting_seq_seq OWNED BY sighting.seq;
CREATE INDEX sighting_time_brin ON sighting USING brin (time);
CREATE INDEX sighting_seq_brin ON sighting USING brin (seq);

CREATE TABLE sighting_ward PARTITION OF sighting FOR VALUES IN ('WARD') PARTITION BY RANGE (time);
CREATE TABLE sighting_guardian PARTITION OF sighting FOR VALUES IN ('GUARDIAN') PARTITION BY RANGE (time);
CREATE TABLE sighting_officer PARTITION OF sighting FOR VALUES IN ('OFFICER') PARTITION BY RANGE (time);
CREATE TABLE sighting_visitor PARTITION OF sighting FOR VALUES IN ('VISITOR') PARTITION BY RANGE (time);
CREATE TABLE sighting_unclassified PARTITION OF sighting DEFAULT;
CREATE TABLE sighting_ward_default PARTITION OF sighting_ward DEFAULT;
CREATE TABLE sighting_guardian_default PARTITION OF sighting_guardian DEFAULT;
CREATE TABLE sighting_officer_default PARTITION OF sighting_officer DEFAULT;
CREATE TABLE sighting_visitor_default PARTITION OF sighting_visitor DEFAULT;

-- Makes the partition of one kind's day in a zone, sighting_<kind>_pYYYYMMDD, unless it exists; returns its name.
-- It fails when the kind's DEFAULT partition holds rows of that day (the caller logs it; the rows stay there).
DROP FUNCTION sighting_partition_for(date, text);
CREATE FUNCTION sighting_partition_for(p_kind text, p_day date, p_zone text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_parent text := 'sighting_' || lower(p_kind);
    v_name   text := 'sighting_' || lower(p_kind) || '_p' || to_char(p_day, 'YYYYMMDD');
BEGIN
    IF p_kind NOT IN ('WARD', 'GUARDIAN', 'OFFICER', 'VISITOR') THEN
        RAISE EXCEPTION 'no sighting partitions for kind %', p_kind;
    END IF;
    IF to_regclass(v_name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_name, v_parent,
                       p_day::timestamp AT TIME ZONE p_zone, (p_day + 1)::timestamp AT TIME ZONE p_zone);
    END IF;
    RETURN v_name;
END
$$;

-- The days that had a partition (or data within 120 days) get one per kind that has fixes on them; the next four
-- days one for every kind.
SELECT sighting_partition_for(k, d, 'Asia/Shanghai')
FROM (SELECT DISTINCT s.kind AS k, (o.time AT TIME ZONE 'Asia/Shanghai')::date AS d
      FROM sighting_by_day o JOIN subject s ON s.id = o.subject_id
      WHERE o.time >= now() - interval '120 days' AND o.time < now() + interval '4 days'
      UNION
      SELECT k, (now() AT TIME ZONE 'Asia/Shanghai')::date + i
      FROM unnest(ARRAY['WARD', 'GUARDIAN', 'OFFICER', 'VISITOR']) AS k, generate_series(0, 3) AS i) AS days
ORDER BY k, d;

INSERT INTO sighting (subject_id, time, received_at, pos, accuracy, source, speed, heading, battery, companions, sos,
                      phone, evidence_url, device_id, seq, kind)
SELECT o.subject_id, o.time, o.received_at, o.pos, o.accuracy, o.source, o.speed, o.heading, o.battery, o.companions,
       o.sos, o.phone, o.evidence_url, o.device_id, o.seq, s.kind
FROM sighting_by_day o JOIN subject s ON s.id = o.subject_id;

DROP TABLE sighting_by_day;
