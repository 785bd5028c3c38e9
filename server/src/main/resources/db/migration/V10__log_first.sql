-- Log-first ingest: `sighting` is the log. Each row gets its position in the log (`seq`, handed out in commit
-- order by the one group-commit writer); the evaluator keeps its state in memory and checkpoints it, with the log
-- position it has fully evaluated, per partition. Replay after a crash reads the rows after the checkpoint.

ALTER TABLE sighting ADD COLUMN seq bigserial;
CREATE INDEX sighting_seq_brin ON sighting USING brin (seq);
-- the catch-up that searched by received_at is replaced by the replay from the checkpoint
DROP INDEX IF EXISTS sighting_received_brin;

-- An alert's idempotency key: subject, fence, type and the event time of the fix that opened it. A replay that
-- decides the same opening again finds the row and adds nothing (no second alert, no second notification).
CREATE UNIQUE INDEX alert_once ON alert (subject_id, coalesce(fence_id, 0), type, opened_at);

-- How far each evaluator partition has evaluated the log. `partitions` is the partition count it was written
-- under; partition -1 stands for everything evaluated before this migration (the synchronous path evaluated every
-- stored fix in the transaction that stored it).
CREATE TABLE evaluator_checkpoint (
    partition  integer     PRIMARY KEY,
    partitions integer     NOT NULL,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO evaluator_checkpoint (partition, partitions, position)
SELECT -1, 0, coalesce(max(seq), 0) FROM sighting;
