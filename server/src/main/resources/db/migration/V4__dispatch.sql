-- Dispatch: when an officer was assigned, accepted and arrived; an officer holds at most one unresolved alert; an
-- officer becomes AVAILABLE again when the alert assigned to them is resolved, whoever resolves it.

ALTER TABLE alert
    ADD COLUMN assigned_at timestamptz,   -- when the current officer was assigned
    ADD COLUMN accepted_at timestamptz,   -- when the current officer accepted
    ADD COLUMN arrived_at  timestamptz;   -- when the current officer arrived (by hand or from a fix within 50 m)

-- The database itself refuses to double-book an officer, whatever code path writes the alert.
CREATE UNIQUE INDEX alert_one_per_officer ON alert (assigned_officer_id)
    WHERE status <> 'RESOLVED' AND assigned_officer_id IS NOT NULL;

-- The accept-timeout sweep reads only assignments still waiting for their officer.
CREATE INDEX alert_awaiting_accept ON alert (assigned_at)
    WHERE status = 'DISPATCHED' AND accepted_at IS NULL;

-- The work-order report reads alerts by the time they opened.
CREATE INDEX alert_opened_at ON alert (opened_at);

-- Resolving an alert frees its officer, in the resolving transaction: no hook to forget, no window in which the
-- alert is RESOLVED and the officer still BUSY.
CREATE FUNCTION dispatch_free_officer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'RESOLVED' AND OLD.status <> 'RESOLVED' AND NEW.assigned_officer_id IS NOT NULL THEN
        UPDATE subject SET status = 'AVAILABLE' WHERE id = NEW.assigned_officer_id AND status = 'BUSY';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER alert_resolved_frees_officer
    AFTER UPDATE OF status ON alert
    FOR EACH ROW EXECUTE FUNCTION dispatch_free_officer();
