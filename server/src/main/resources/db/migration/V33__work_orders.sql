-- Work orders (the grid loop: found → analysed → ordered → followed up → feedback → evaluated) are alerts of type
-- WORK_ORDER: the same status, assignment and alert_event timeline as every alert, and a work_order row with what
-- only a work order has. Many work orders may be open for one reporter at once, so the one-open-alert rule now
-- leaves WORK_ORDER out (the evaluator's ON CONFLICT names the same predicate).

ALTER TABLE alert DROP CONSTRAINT alert_type_check;
ALTER TABLE alert ADD CONSTRAINT alert_type_check
    CHECK (type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'WORK_ORDER'));

DROP INDEX alert_one_open;
CREATE UNIQUE INDEX alert_one_open ON alert (subject_id, coalesce(fence_id, 0), type)
    WHERE status <> 'RESOLVED' AND type <> 'WORK_ORDER';

CREATE TABLE work_order (
    alert_id        bigint PRIMARY KEY REFERENCES alert (id) ON DELETE CASCADE,
    category        text        NOT NULL,
    severity        text        CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    description     text,
    photos          text[]      NOT NULL DEFAULT '{}',
    source          text        NOT NULL CHECK (source IN ('APP', 'DISPATCHER', 'ALERT', 'CITIZEN')),
    source_alert_id bigint REFERENCES alert (id) ON DELETE SET NULL,
    reporter        text        NOT NULL,            -- username, or 'citizen'
    deadline        timestamptz NOT NULL,            -- opened_at + the category's hours
    unit            text,                            -- the unit it is ordered to
    result          text,
    result_photo    text,
    rating          integer     CHECK (rating BETWEEN 1 AND 5),
    rated_by        text,
    rated_at        timestamptz
);
CREATE INDEX work_order_source_alert ON work_order (source_alert_id) WHERE source_alert_id IS NOT NULL;
