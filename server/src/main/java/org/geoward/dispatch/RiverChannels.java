package org.geoward.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geoward.geo.Geodesic;
import org.geoward.json.Json;
import org.geoward.problem.SettingsException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.linearref.LinearLocation;
import org.locationtech.jts.linearref.LocationIndexedLine;

/**
 * The river channels a boat can take, from the centre lines in {@code geoward.dispatch.rivers} (a GeoJSON
 * FeatureCollection of LineStrings or MultiLineStrings, on the classpath or a file; by default Natural Earth's
 * Yangtze and Wu around Fuling), and the distance between two points along them.
 *
 * <p>Each point is projected on the nearest channel (JTS linear referencing, {@link LocationIndexedLine}, in a local
 * metric frame so that "nearest" means nearest in metres). The route is the leg from the point to its channel, the
 * way along the channels, and the leg from the channel to the other point. Two channels meet where one ends
 * nearest the other (a confluence, within 2 km); between different channels the way runs through their confluence.
 * Lengths along a channel are geodesic (WGS 84), summed vertex by vertex. Immutable and thread-safe.
 */
@Singleton
final class RiverChannels {
    /** Ends this close to another channel are its confluence with it. */
    private static final double CONFLUENCE_METERS = 2_000;

    private final List<Channel> channels = new ArrayList<>();
    private final List<Confluence> confluences = new ArrayList<>();
    private final double lon0;
    private final double lat0;
    private final double kx;
    private final double ky;

    RiverChannels(@Value("${geoward.dispatch.rivers:demo/yangtze_wu_fuling.geojson}") String source) {
        List<Named> lines = read(source);
        double sumLon = 0, sumLat = 0;
        int n = 0;
        for (Named line : lines) {
            for (double[] p : line.points) {
                sumLon += p[0];
                sumLat += p[1];
                n++;
            }
        }
        lon0 = n == 0 ? 0 : sumLon / n;
        lat0 = n == 0 ? 0 : sumLat / n;
        kx = Geodesic.metersPerDegreeLon(lat0);
        ky = Geodesic.metersPerDegreeLat(lat0);
        for (Named line : lines) {
            channels.add(new Channel(line.name, line.points));
        }
        findConfluences();
    }

    /** Where a point lies on the river: its channel, the metres along it, and the metres from it (off the water). */
    record Place(String channel, double alongMeters, double offMeters) {}

    /** A river route: its length in metres and the channels it follows, in order. */
    record Route(double meters, List<String> channels) {}

    /** Tells whether any channel was loaded. */
    boolean hasChannels() {
        return !channels.isEmpty();
    }

    /** The place on the nearest channel of the point ({@code lon}, {@code lat} in degrees). */
    Optional<Place> place(double lon, double lat) {
        Located best = locate(lon, lat);
        return best == null ? Optional.empty() : Optional.of(new Place(best.channel.name, best.along, best.off));
    }

    /**
     * The route along the channels between two points, or empty without channels or when the channels of the two
     * points do not meet.
     */
    Optional<Route> route(double fromLon, double fromLat, double toLon, double toLat) {
        Located a = locate(fromLon, fromLat);
        Located b = locate(toLon, toLat);
        if (a == null || b == null) {
            return Optional.empty();
        }
        if (a.channel == b.channel) {
            return Optional.of(new Route(a.off + Math.abs(a.along - b.along) + b.off, List.of(a.channel.name)));
        }
        for (Confluence c : confluences) {
            if (c.joins(a.channel, b.channel)) {
                double way = Math.abs(a.along - c.alongOn(a.channel))
                        + c.gapMeters()
                        + Math.abs(b.along - c.alongOn(b.channel));
                return Optional.of(new Route(a.off + way + b.off, List.of(a.channel.name, b.channel.name)));
            }
        }
        return Optional.empty();
    }

    private Located locate(double lon, double lat) {
        Located best = null;
        for (Channel channel : channels) {
            Located here = channel.locate(lon, lat);
            if (best == null || here.off < best.off) {
                best = here;
            }
        }
        return best;
    }

    private void findConfluences() {
        for (Channel tributary : channels) {
            for (Channel main : channels) {
                if (tributary == main) {
                    continue;
                }
                for (double[] end : List.of(tributary.points[0], tributary.points[tributary.points.length - 1])) {
                    Located onMain = main.locate(end[0], end[1]);
                    if (onMain.off <= CONFLUENCE_METERS) {
                        double alongTributary = end == tributary.points[0] ? 0 : tributary.length();
                        confluences.add(new Confluence(tributary, alongTributary, main, onMain.along, onMain.off));
                    }
                }
            }
        }
    }

    private record Located(Channel channel, double along, double off) {}

    private record Confluence(Channel a, double alongA, Channel b, double alongB, double gapMeters) {
        boolean joins(Channel x, Channel y) {
            return (a == x && b == y) || (a == y && b == x);
        }

        double alongOn(Channel channel) {
            return channel == a ? alongA : alongB;
        }
    }

    private final class Channel {
        final String name;
        final double[][] points;
        final double[] cumulative;
        final LocationIndexedLine line;

        Channel(String name, double[][] points) {
            this.name = name;
            this.points = points;
            cumulative = new double[points.length];
            Coordinate[] metric = new Coordinate[points.length];
            for (int i = 0; i < points.length; i++) {
                metric[i] = metric(points[i][0], points[i][1]);
                if (i > 0) {
                    cumulative[i] = cumulative[i - 1]
                            + Geodesic.distanceMeters(points[i - 1][0], points[i - 1][1], points[i][0], points[i][1]);
                }
            }
            LineString metricLine = new GeometryFactory().createLineString(metric);
            line = new LocationIndexedLine(metricLine);
        }

        double length() {
            return cumulative[cumulative.length - 1];
        }

        Located locate(double lon, double lat) {
            LinearLocation at = line.project(metric(lon, lat));
            int i = at.getSegmentIndex();
            double t = at.getSegmentFraction();
            if (i >= points.length - 1) {
                i = points.length - 2;
                t = 1;
            }
            double[] p = points[i];
            double[] q = points[i + 1];
            double onLon = p[0] + t * (q[0] - p[0]);
            double onLat = p[1] + t * (q[1] - p[1]);
            double along = cumulative[i] + t * (cumulative[i + 1] - cumulative[i]);
            return new Located(this, along, Geodesic.distanceMeters(lon, lat, onLon, onLat));
        }
    }

    private Coordinate metric(double lon, double lat) {
        return new Coordinate((lon - lon0) * kx, (lat - lat0) * ky);
    }

    private record Named(String name, double[][] points) {}

    private static List<Named> read(String source) {
        if (source == null || source.isBlank()) {
            return List.of();
        }
        try (InputStream in = open(source)) {
            JsonNode root = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Named> lines = new ArrayList<>();
            JsonNode features = root.get("features");
            for (int f = 0; features != null && f < features.size(); f++) {
                JsonNode feature = features.get(f);
                JsonNode props = feature.get("properties");
                String name = text(props, "name_en", text(props, "name", "river " + f));
                JsonNode geometry = feature.get("geometry");
                String type = text(geometry, "type", "");
                JsonNode coordinates = geometry.get("coordinates");
                if ("LineString".equals(type)) {
                    lines.add(new Named(name, points(coordinates)));
                } else if ("MultiLineString".equals(type)) {
                    for (int part = 0; part < coordinates.size(); part++) {
                        String partName = coordinates.size() == 1 ? name : name + " " + (part + 1);
                        lines.add(new Named(partName, points(coordinates.get(part))));
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new SettingsException("geoward.dispatch.rivers: cannot read " + source, e);
        } catch (Json.MalformedJson e) {
            throw new SettingsException("geoward.dispatch.rivers: " + source + " " + e.getMessage(), e);
        }
    }

    private static InputStream open(String source) throws IOException {
        InputStream resource = RiverChannels.class.getClassLoader().getResourceAsStream(source);
        if (resource != null) {
            return resource;
        }
        Path file = Path.of(source);
        if (!Files.isReadable(file)) {
            throw new IOException("no such classpath resource or readable file");
        }
        return Files.newInputStream(file);
    }

    private static double[][] points(JsonNode coordinates) {
        double[][] points = new double[coordinates.size()][];
        for (int i = 0; i < coordinates.size(); i++) {
            JsonNode c = coordinates.get(i);
            points[i] = new double[] {c.get(0).doubleValue(), c.get(1).doubleValue()};
        }
        return points;
    }

    private static String text(JsonNode node, String name, String fallback) {
        JsonNode value = node == null ? null : node.get(name);
        return value != null && value.isTextual() ? value.textValue() : fallback;
    }
}
