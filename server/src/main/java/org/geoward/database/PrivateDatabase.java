package org.geoward.database;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the default datasource at a private PostGIS cluster when no database is configured
 * ({@code GEOWARD_DB_URL} / {@code datasources.default.url} empty), and stops that cluster on shutdown.
 *
 * <p>With {@code geoward.private-db.keep-running=true} (the test suite) the cluster outlives the application context
 * and is stopped when the JVM exits, so many contexts in one JVM share one cluster.
 */
@Singleton
public final class PrivateDatabase implements BeanCreatedEventListener<DatasourceConfiguration> {
    /** The datasource URL that asks for the private cluster: the default of {@code GEOWARD_DB_URL}. */
    public static final String PRIVATE_URL = "jdbc:geoward:private";

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDatabase.class);
    private static PrivateCluster sharedCluster;
    private static PrivateCluster.Endpoint sharedEndpoint;
    private static PrivateCluster earlyCluster;
    private static PrivateCluster.Endpoint earlyEndpoint;

    private final DataDirectory dataDirectory;
    private final String binDir;
    private final boolean durable;
    private final boolean keepRunning;
    private PrivateCluster cluster;

    PrivateDatabase(
            DataDirectory dataDirectory,
            @Nullable @Value("${geoward.private-db.bin-dir:}") String binDir,
            @Value("${geoward.private-db.durable:true}") boolean durable,
            @Value("${geoward.private-db.keep-running:false}") boolean keepRunning) {
        this.dataDirectory = dataDirectory;
        this.binDir = binDir;
        this.durable = durable;
        this.keepRunning = keepRunning;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getConfiguredUrl();
        if (!"default".equals(config.getName()) || !(url == null || url.isBlank() || PRIVATE_URL.equals(url))) {
            return config;
        }
        PrivateCluster.Endpoint endpoint = start();
        config.setUrl(endpoint.url());
        config.setJdbcUrl(endpoint.url());
        config.setUsername(endpoint.username());
        config.setPassword(endpoint.password());
        config.setDriverClassName("org.postgresql.Driver");
        return config;
    }

    /**
     * Starts the private cluster before the application context exists, so that {@code main} can report a missing
     * PostgreSQL or PostGIS in one line; the context then adopts it and stops it on shutdown.
     */
    public static synchronized void startEarly(java.nio.file.Path dataDir, String binDir) {
        earlyCluster = new PrivateCluster(dataDir, binDir, true);
        earlyEndpoint = earlyCluster.start();
    }

    /**
     * The superuser's coordinates of the private cluster this JVM started (the test suite uses them for what the
     * server's own user may not do, such as disabling the audit trail's triggers), or null when there is none.
     */
    public static synchronized PrivateCluster.Endpoint superuser() {
        if (sharedCluster != null) {
            return sharedCluster.superuser();
        }
        return earlyCluster != null ? earlyCluster.superuser() : null;
    }

    /**
     * Stops the cluster {@link #startEarly} started when no context has adopted it: a start that failed before the
     * database was needed (a wrong setting) leaves no PostgreSQL behind.
     */
    public static synchronized void stopEarly() {
        if (earlyCluster != null) {
            earlyCluster.stop();
            earlyCluster = null;
            earlyEndpoint = null;
        }
    }

    private PrivateCluster.Endpoint start() {
        synchronized (PrivateDatabase.class) {
            if (earlyEndpoint != null && !keepRunning) {
                cluster = earlyCluster;
                PrivateCluster.Endpoint endpoint = earlyEndpoint;
                earlyCluster = null;
                earlyEndpoint = null;
                return endpoint;
            }
        }
        if (keepRunning) {
            synchronized (PrivateDatabase.class) {
                if (sharedEndpoint == null) {
                    sharedCluster = new PrivateCluster(dataDirectory.path(), binDir, durable);
                    sharedEndpoint = sharedCluster.start();
                    PrivateCluster toStop = sharedCluster;
                    Runtime.getRuntime().addShutdownHook(new Thread(toStop::stop, "private-postgis-stop"));
                }
                return sharedEndpoint;
            }
        }
        cluster = new PrivateCluster(dataDirectory.path(), binDir, durable);
        return cluster.start();
    }

    @PreDestroy
    void stop() {
        if (cluster != null) {
            LOG.info("Stopping the private PostGIS");
            cluster.stop();
            cluster = null;
        }
    }
}
