-- Cluster mode on Kafka (docs/cluster.md). Used only when GEOWARD_KAFKA_BOOTSTRAP is set; a single node never
-- writes these tables, and nobody listens on the channel then.

-- One row per Kafka partition of the fixes topic: the offset of the next record its evaluation has not folded into
-- subject_state yet, written in one transaction with those states. `epoch` fences a node that lost the partition:
-- each new owner increments it, and a checkpoint is written only under the epoch its writer adopted.
CREATE TABLE cluster_checkpoint (
    topic       text        NOT NULL,
    partition   int         NOT NULL,
    partitions  int         NOT NULL,
    next_offset bigint      NOT NULL DEFAULT 0,
    epoch       bigint      NOT NULL DEFAULT 0,
    owner       text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

-- Leases for work that must run once per cluster, not once per node (accept timeouts, retention).
CREATE TABLE cluster_lease (
    name  text        PRIMARY KEY,
    owner text        NOT NULL,
    until timestamptz NOT NULL
);

-- Every node hears at commit what changed elsewhere: 'fence' (rebuild the fence index) and
-- 'alert:<alert id>:<event id>' (wake the SSE streams, which read alert_event in id order).
CREATE FUNCTION cluster_fence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('geoward_cluster', 'fence');
    RETURN NULL;
END $$;

CREATE TRIGGER fence_cluster AFTER INSERT OR UPDATE OR DELETE ON fence
    FOR EACH STATEMENT EXECUTE FUNCTION cluster_fence_changed();

CREATE FUNCTION cluster_alert_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('geoward_cluster', 'alert:' || NEW.alert_id || ':' || NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER alert_event_cluster AFTER INSERT ON alert_event
    FOR EACH ROW EXECUTE FUNCTION cluster_alert_changed();
