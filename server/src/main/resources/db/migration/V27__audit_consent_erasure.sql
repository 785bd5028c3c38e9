-- Privacy and accountability (docs/privacy.md): the audit trail of every look and every change, the AUDITOR role,
-- a guardian's consent for each ward, and erasure of a person.

-- Roles ---------------------------------------------------------------------------------------------------------------

ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
    CHECK (role IN ('ADMIN', 'DISPATCHER', 'OFFICER', 'FAMILY', 'AUDITOR'));

-- The audit trail -----------------------------------------------------------------------------------------------------
-- Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE to everyone, the application's own database user
-- included. Each row carries the SHA-256 of the row before it and of its own content (a hash chain), and audit_head
-- the newest position and hash, so that a row removed with the triggers disabled still shows: a gap in the ids, a
-- prev_hash that does not match, or a head past the last row (GET /api/audit/verify).

CREATE TABLE audit_entry (
    id         bigint      PRIMARY KEY,              -- the position in the chain, 1, 2, 3, ... without gaps
    at         timestamptz NOT NULL,
    username   text        NOT NULL,
    role       text        NOT NULL,
    action     text        NOT NULL CHECK (action IN ('READ', 'CHANGE')),
    method     text        NOT NULL,
    endpoint   text        NOT NULL,                 -- the route template, e.g. /api/subjects/{id}/track
    path       text        NOT NULL,                 -- the path as requested
    query      text,                                 -- the query string as requested
    subject_id bigint,                               -- the subject the request concerned, when one
    alert_id   bigint,                               -- the alert the request concerned, when one
    purpose    text,                                 -- why, as the client said (X-Geoward-Purpose), e.g. 'alert 17'
    status     integer     NOT NULL,                 -- the HTTP status answered
    prev_hash  bytea       NOT NULL,
    hash       bytea       NOT NULL
);
CREATE INDEX audit_entry_subject ON audit_entry (subject_id, id) WHERE subject_id IS NOT NULL;
CREATE INDEX audit_entry_user ON audit_entry (username, id);
CREATE INDEX audit_entry_at ON audit_entry USING brin (at);

CREATE TABLE audit_head (
    id        integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    last_id   bigint  NOT NULL,
    last_hash bytea   NOT NULL
);
INSERT INTO audit_head (last_id, last_hash) VALUES (0, decode(repeat('00', 32), 'hex'));

-- The text a row's hash covers: every column but the hashes, '|'-separated, times in UTC to the microsecond.
CREATE FUNCTION audit_canonical(e audit_entry) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e.username, e.role,
                     e.action, e.method, e.endpoint, e.path, coalesce(e.query, ''), coalesce(e.subject_id::text, ''),
                     coalesce(e.alert_id::text, ''), coalesce(e.purpose, ''), e.status)
$$;

-- Chains a new row: takes the head's row lock (inserts are serialised until their commit), numbers the row and
-- hashes it together with the previous hash.
CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_prev bytea;
BEGIN
    UPDATE audit_head SET last_id = last_id + 1 RETURNING last_id, last_hash INTO NEW.id, v_prev;
    NEW.at := coalesce(NEW.at, clock_timestamp());
    NEW.prev_hash := v_prev;
    NEW.hash := sha256(v_prev || convert_to(audit_canonical(NEW), 'UTF8'));
    UPDATE audit_head SET last_hash = NEW.hash;
    RETURN NEW;
END
$$;

CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- audit_head changes only from inside audit_chain (trigger depth 2).
CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'audit_head is written only by the audit trail''s own trigger'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_chain();
CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_head_only_chain BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();

-- Consent and erasure -------------------------------------------------------------------------------------------------
-- A ward is tracked only with a guardian's consent on record: who gave it, when, to which version of the consent
-- text. Wards registered before this migration are marked as such (consent_text_version 'before-consent-records'),
-- so that an upgrade does not stop tracking them; docs/privacy.md tells the operator to collect their consent.

ALTER TABLE subject
    ADD COLUMN consent_by           text,
    ADD COLUMN consent_at           timestamptz,
    ADD COLUMN consent_text_version text,
    ADD COLUMN erased_at            timestamptz;   -- set when the person was erased; the row stays, anonymised

UPDATE subject SET consent_by = 'unknown', consent_at = created_at, consent_text_version = 'before-consent-records'
WHERE kind = 'WARD';

-- The ingest directory must hear of consent and erasure too (V24 listed the columns it reads).
DROP TRIGGER subject_directory_update ON subject;
CREATE TRIGGER subject_directory_update AFTER UPDATE ON subject
    FOR EACH ROW
    WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.name IS DISTINCT FROM NEW.name
          OR OLD.phone IS DISTINCT FROM NEW.phone OR OLD.offline_minutes IS DISTINCT FROM NEW.offline_minutes
          OR OLD.track_id IS DISTINCT FROM NEW.track_id OR OLD.consent_at IS DISTINCT FROM NEW.consent_at
          OR OLD.erased_at IS DISTINCT FROM NEW.erased_at)
    EXECUTE FUNCTION directory_changed();
