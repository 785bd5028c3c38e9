package org.geoward.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.geoward.problem.SettingsException;

/**
 * {@code GET /config.json}: the console's server-wide defaults, which each browser may override in its settings
 * dialog. {@code tiles} is the basemap's tile URL template ({@code geoward.map.tiles}, {@code GEOWARD_TILE_URL}, e.g.
 * an intranet Tianditu or PGIS tile service); without it the console draws its offline outline map, as a police
 * intranet without internet needs. Public: the console reads it before anyone logs in, and it holds no secret.
 */
@Controller("/config.json")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Operations")
final class ConsoleConfigController {
    private final Config config;

    ConsoleConfigController(
            @Nullable @Value("${geoward.map.tiles:}") String tiles,
            @Value("${geoward.map.tile-attribution:}") String attribution,
            @Value("${geoward.map.tile-crs:WGS84}") String crs,
            @Value("${geoward.map.center-lat:29.71}") double centerLat,
            @Value("${geoward.map.center-lon:107.39}") double centerLon,
            @Value("${geoward.map.zoom:11}") int zoom) {
        String tileCrs = crs.trim().toUpperCase(Locale.ROOT);
        if (!tileCrs.equals("WGS84") && !tileCrs.equals("GCJ02")) {
            throw new SettingsException(
                    "geoward.map.tile-crs (GEOWARD_TILE_CRS) is '" + crs + "': it should be WGS84 or GCJ02");
        }
        this.config = new Config(
                tiles == null || tiles.isBlank() ? null : tiles.trim(),
                attribution,
                tileCrs,
                List.of(centerLat, centerLon),
                zoom);
    }

    /** The console's defaults; {@code tiles} null means the offline outline map. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Config(@Nullable String tiles, String tileAttribution, String tileCrs, List<Double> center, int zoom) {}

    @Get
    @Operation(summary = "The console's defaults: basemap tile URL (or none: offline outline map), centre, zoom")
    Config config() {
        return config;
    }
}
