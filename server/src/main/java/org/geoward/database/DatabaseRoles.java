package org.geoward.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Makes the private cluster's roles, as its superuser, every time it starts: {@value PrivateCluster#APP_USER} (the
 * server's login: may connect to database {@code geoward} and create in it and in its schema {@code public}, owns the
 * tables it makes there, may create databases, is no superuser; the database and the schema stay the superuser's, since
 * their owner could drop the audit trail's tables or the whole database) and
 * {@value PrivateCluster#AUDIT_OWNER} (no login: will own the audit trail). Objects an earlier version made as the
 * superuser are handed to the server's role, and {@code geoward_setup.seal_audit()} is (re)made: a function of the
 * superuser's that V45 calls to give the audit trail to {@value PrivateCluster#AUDIT_OWNER} and leave the server only
 * INSERT and SELECT on it. Idempotent.
 */
final class DatabaseRoles {
    private DatabaseRoles() {}

    private static final String ROLES =
            """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoward') THEN
                    CREATE ROLE geoward LOGIN CREATEDB;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoward_audit') THEN
                    CREATE ROLE geoward_audit NOLOGIN;
                END IF;
            END
            $$""";

    /** Hands what the superuser made in schema public (outside extensions) to the server's role. */
    private static final String HAND_OVER =
            """
            DO $$
            DECLARE
                r record;
            BEGIN
                FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                         WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = 'postgres'::regrole
                           AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                           -- a sequence a column owns follows its table
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                           AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                           AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                           AND d.objid = c.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO geoward', r.name);
                END LOOP;
                FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                         WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = 'postgres'::regrole
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                           AND d.objid = p.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO geoward',
                                   CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                                   r.name);
                END LOOP;
            END
            $$""";

    /** Called by V45 (and harmless to call again): the audit trail to geoward_audit, the server INSERT and SELECT. */
    private static final String SEAL =
            """
            CREATE OR REPLACE FUNCTION geoward_setup.seal_audit() RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            BEGIN
                IF to_regclass('public.audit_entry') IS NULL THEN
                    RETURN;
                END IF;
                ALTER TABLE public.audit_entry OWNER TO geoward_audit;
                ALTER TABLE public.audit_head OWNER TO geoward_audit;
                ALTER FUNCTION public.audit_chain() OWNER TO geoward_audit;
                ALTER FUNCTION public.audit_canonical(public.audit_entry) OWNER TO geoward_audit;
                ALTER FUNCTION public.audit_refuse() OWNER TO geoward_audit;
                ALTER FUNCTION public.audit_head_guard() OWNER TO geoward_audit;
                REVOKE ALL ON public.audit_entry, public.audit_head FROM geoward;
                GRANT SELECT, INSERT ON public.audit_entry TO geoward;
                GRANT SELECT ON public.audit_head TO geoward;
            END
            $$""";

    static void prepare(PrivateCluster.Endpoint superuser, String password) {
        if (!password.matches("[0-9a-f]+")) {
            throw new PrivateDatabaseException("the private cluster's password file holds more than hex digits", null);
        }
        Properties props = new Properties();
        props.setProperty("user", superuser.username());
        props.setProperty("password", superuser.password());
        try (Connection c = DriverManager.getConnection(superuser.url(), props);
                Statement st = c.createStatement()) {
            st.execute(ROLES);
            st.execute("ALTER ROLE geoward PASSWORD '" + password + "'");
            // The database (and so schema public, owned by pg_database_owner) stays the superuser's: the owner of a
            // schema may drop any table in it, the audit trail's included, and the owner of a database may drop it.
            // The server's role gets what it needs by grant instead (it owns every table but the audit trail's).
            st.execute("ALTER DATABASE " + PrivateCluster.DATABASE + " OWNER TO postgres");
            st.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + PrivateCluster.DATABASE + " TO geoward");
            st.execute("GRANT ALL ON SCHEMA public TO geoward");
            // superuser-only settings the server's role may still change for its own session (IngestConflictSpec)
            st.execute("GRANT SET ON PARAMETER deadlock_timeout TO geoward");
            st.execute(HAND_OVER);
            st.execute("CREATE SCHEMA IF NOT EXISTS geoward_setup AUTHORIZATION postgres");
            st.execute("GRANT USAGE ON SCHEMA geoward_setup TO geoward");
            st.execute(SEAL);
            st.execute("REVOKE ALL ON FUNCTION geoward_setup.seal_audit() FROM PUBLIC");
            st.execute("GRANT EXECUTE ON FUNCTION geoward_setup.seal_audit() TO geoward");
        } catch (SQLException e) {
            throw new PrivateDatabaseException(
                    "Could not prepare the roles of the private PostGIS: " + e.getMessage(), e);
        }
    }
}
