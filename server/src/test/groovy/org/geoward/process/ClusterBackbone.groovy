package org.geoward.process

/**
 * The parts the cluster specs ({@link ClusterSpec}, {@code ClusterOperationsSpec}) share in one test JVM: a Kafka
 * broker and a PostGIS made by a server that is then killed (its PostgreSQL keeps running, so that no node owns it).
 * Each is started on first use and stopped by a JVM shutdown hook; a broker and a database of their own cost each spec
 * about 15 s. The specs keep apart by their own topics, groups and subjects; the database's one {@code admin} has
 * {@link #ADMIN_PASSWORD}. A spec that stops the broker starts it again; {@link #broker} starts one left stopped by a
 * failed feature. Not thread-safe beyond {@code synchronized} start-up.
 */
class ClusterBackbone {
    static final String ADMIN_PASSWORD = "cluster-backbone-pw"

    private static KafkaBroker broker
    private static ServerProcess database

    /** The shared broker, running (started now if it is not). */
    static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = new KafkaBroker()
            onExit { broker.close() }
        }
        broker.start() // does nothing when it runs
        broker
    }

    /** The server process whose PostgreSQL the nodes share: killed, its cluster running. */
    static synchronized ServerProcess database() {
        if (database == null) {
            def made = new ServerProcess("geoward-cluster-db")
            onExit { made.close() }
            made.start([GEOWARD_ADMIN_PASSWORD: ADMIN_PASSWORD])
            made.kill()
            database = made
        }
        database
    }

    /** The environment that points a node at the shared database. */
    static Map<String, String> databaseEnv() {
        ServerProcess db = database()
        String password = new File(db.pgRoot.toFile(), "password").text.trim()
        [GEOWARD_DB_URL     : "jdbc:postgresql://127.0.0.1:${db.databasePort()}/geoward".toString(),
         GEOWARD_DB_USER    : "postgres", GEOWARD_DB_PASSWORD: password]
    }

    private static void onExit(Closure cleanup) {
        Runtime.runtime.addShutdownHook(new Thread({
            try {
                cleanup()
            } catch (Throwable e) {
                System.err.println("ClusterBackbone clean-up: $e")
            }
        } as Runnable, "cluster-backbone-cleanup"))
    }
}
