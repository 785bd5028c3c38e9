package org.geoward.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * The one {@link GeometryFactory} for WGS 84 lon/lat (SRID 4326) and conversions to and from WKB (what PostGIS
 * exchanges with {@code ST_AsBinary} / {@code ST_GeomFromWKB}) and GeoJSON. Thread-safe: readers and writers are
 * made per call.
 */
public final class Geometries {
    /** SRID of WGS 84 longitude/latitude. */
    public static final int WGS84 = 4326;

    /** The factory every geometry in Geoward is made with. */
    public static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), WGS84);

    private Geometries() {}

    /** A point at {@code lon}, {@code lat} in degrees. */
    public static Point point(double lon, double lat) {
        return FACTORY.createPoint(new Coordinate(lon, lat));
    }

    /** Reads WKB (as from {@code ST_AsBinary}). */
    public static Geometry fromWkb(byte[] wkb) {
        try {
            Geometry g = new WKBReader(FACTORY).read(wkb);
            g.setSRID(WGS84);
            return g;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a WKB geometry: " + e.getMessage(), e);
        }
    }

    /** Writes 2D WKB (for {@code ST_GeomFromWKB(?, 4326)}). */
    public static byte[] toWkb(Geometry geometry) {
        return new WKBWriter(2).write(geometry);
    }

    /** Reads a GeoJSON geometry object; throws {@link ParseException} with the reason when it is not one. */
    public static Geometry fromGeoJson(String json) throws ParseException {
        Geometry g = new GeoJsonReader(FACTORY).read(json);
        g.setSRID(WGS84);
        return g;
    }

    /** Writes a GeoJSON geometry object without a CRS member (RFC 7946). */
    public static String toGeoJson(Geometry geometry) {
        GeoJsonWriter writer = new GeoJsonWriter(15);
        writer.setEncodeCRS(false);
        return writer.write(geometry);
    }
}
