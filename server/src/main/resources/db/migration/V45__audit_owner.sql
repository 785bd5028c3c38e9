-- The audit trail by privilege, not only by trigger (docs/privacy.md): the server's database user may INSERT and
-- SELECT audit rows, never UPDATE, DELETE or TRUNCATE them. The rows, the chain head and the audit functions are
-- owned by the role geoward_audit, which nobody logs in as.
--
-- The chaining trigger now runs as that owner (SECURITY DEFINER), so the server's user needs no right on audit_head
-- beyond reading it.
ALTER FUNCTION audit_chain() SECURITY DEFINER SET search_path = public, pg_temp;

-- Handing the tables to another role takes a superuser. The private cluster (PrivateCluster, DatabaseRoles) makes the
-- roles at every start and a function of its superuser's, geoward_setup.seal_audit(), that does it. On a database of
-- your own, run the statements of docs/privacy.md ("The audit trail by privilege") as a superuser instead; until then
-- only the triggers guard the rows.
DO $$
BEGIN
    IF to_regprocedure('geoward_setup.seal_audit()') IS NOT NULL THEN
        PERFORM geoward_setup.seal_audit();
    ELSE
        RAISE NOTICE 'geoward_setup.seal_audit() does not exist: the audit trail stays owned by %, guarded by its '
                     'triggers only; docs/privacy.md says how to give it to a role of its own', current_user;
    END IF;
END
$$;
