package org.geoward.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import org.geoward.fence.FenceCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo city's fences when {@code GEOWARD_DEMO=true} ({@code ./geoward demo}): a safe zone around a care
 * home in Fuling's urban area, the Yangtze at Fuling as a ban zone, and the lower Wu river bank as a danger corridor.
 * Idempotent: a fence whose name exists is left as it is.
 *
 * <p>The river lines are taken from Natural Earth's 10 m rivers (public domain); see NOTICE.md.
 */
@Singleton
@Requires(property = "geoward.demo", value = "true")
class DemoSeeder {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

    /** name, kind, WKT, radius, buffer, dwell minutes. */
    private static final Object[][] FENCES = {
        {
            "涪陵区社会福利院 安全区", "SAFE", "POINT(107.3895 29.7060)", 300.0, null, null,
        },
        {
            "长江涪陵段禁渔区",
            "BAN",
            "LINESTRING(107.33407636810455 29.750799871869035, 107.37566165456292 29.733221746869035,"
                    + " 107.39901777435455 29.728216864056535, 107.40927168060455 29.74026113488987,"
                    + " 107.41407311289623 29.763617254681535, 107.42595462331292 29.780462957806535)",
            null,
            400.0,
            30,
        },
        {
            "乌江河岸 危险区",
            "DANGER",
            "LINESTRING(107.38868248789623 29.68532949426487, 107.39405358164623 29.694403387494035,"
                    + " 107.40406334727123 29.703192449994035, 107.40992272227123 29.714300848431535,"
                    + " 107.40243574310455 29.730292059369035)",
            null,
            150.0,
            null,
        },
    };

    private final JdbcOperations jdbc;
    private final FenceCatalog catalog;

    DemoSeeder(JdbcOperations jdbc, FenceCatalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        int added = seed();
        catalog.invalidate();
        LOG.info("Demo city: {} fence(s) added around Fuling", added);
    }

    @Transactional
    int seed() {
        int added = 0;
        for (Object[] f : FENCES) {
            boolean exists = jdbc.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM fence WHERE name = ? AND retired_at IS NULL)", ps -> {
                        ps.setString(1, (String) f[0]);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getBoolean(1);
                        }
                    });
            if (exists) {
                continue;
            }
            Double meters = f[3] != null ? (Double) f[3] : (Double) f[4];
            jdbc.prepareStatement(
                    """
                    INSERT INTO fence (name, kind, geom, area, radius_meters, buffer_meters, dwell_minutes, active_from)
                    SELECT ?, ?, g, CASE WHEN ?::float8 IS NULL THEN g ELSE ST_Buffer(g::geography, ?::float8)::geometry END,
                           ?, ?, ?, CASE WHEN ? = 'BAN' THEN DATE '2021-01-01' END
                    FROM (SELECT ST_GeomFromText(?, 4326) AS g) s""",
                    ps -> {
                        ps.setString(1, (String) f[0]);
                        ps.setString(2, (String) f[1]);
                        ps.setObject(3, meters);
                        ps.setObject(4, meters);
                        ps.setObject(5, f[3]);
                        ps.setObject(6, f[4]);
                        ps.setObject(7, f[5]);
                        ps.setString(8, (String) f[1]);
                        ps.setString(9, (String) f[2]);
                        return ps.executeUpdate();
                    });
            added++;
        }
        return added;
    }
}
