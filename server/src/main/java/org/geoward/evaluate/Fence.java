package org.geoward.evaluate;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Lineal;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygonal;

/**
 * Describes a named area in WGS 84 lon/lat: a Polygon or MultiPolygon (holes are outside), a Point with
 * {@code radiusMeters} (a circle) or a LineString / MultiLineString with {@code bufferMeters} (a corridor).
 *
 * @param hysteresisMeters margin a fix must clear to change state; NaN means the default, 20 m
 * @param maxGapMinutes silence after which a BAN episode ends; 0 or less means the default, 15
 * @param subjects the subjects it applies to; empty means the kind's default (SAFE: nobody, DANGER: every WARD,
 *     BAN: everyone)
 * @param window when the fence is active; null means always
 * @param categories the key populations it applies to; empty means any (a DANGER bank for MINORs names MINOR)
 */
public record Fence(
        long id,
        String name,
        FenceKind kind,
        Geometry geometry,
        double radiusMeters,
        double bufferMeters,
        double hysteresisMeters,
        int dwellMinutes,
        int maxGapMinutes,
        Set<Long> subjects,
        ActivityWindow window,
        Set<SubjectCategory> categories) {

    public static final double DEFAULT_HYSTERESIS_METERS = 20;
    public static final int DEFAULT_MAX_GAP_MINUTES = 15;

    public Fence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(geometry, "geometry");
        name = name == null ? "" : name;
        subjects = subjects == null ? Set.of() : Set.copyOf(subjects);
        window = window == null ? ActivityWindow.ALWAYS : window;
        // an EnumSet: asking it about a subject without a category (null: a visitor, an officer) answers false
        categories = categories == null || categories.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        hysteresisMeters = Double.isNaN(hysteresisMeters) ? DEFAULT_HYSTERESIS_METERS : hysteresisMeters;
        maxGapMinutes = maxGapMinutes <= 0 ? DEFAULT_MAX_GAP_MINUTES : maxGapMinutes;
        if (hysteresisMeters < 0) {
            throw new IllegalArgumentException("hysteresisMeters must not be negative: " + hysteresisMeters);
        }
        if (geometry instanceof Point && !(radiusMeters > 0)) {
            throw new IllegalArgumentException("a circle fence needs radiusMeters > 0, fence " + id);
        }
        if (geometry instanceof Lineal && !(bufferMeters > 0)) {
            throw new IllegalArgumentException("a corridor fence needs bufferMeters > 0, fence " + id);
        }
        if (!(geometry instanceof Point || geometry instanceof Lineal || geometry instanceof Polygonal)) {
            throw new IllegalArgumentException("unsupported fence geometry " + geometry.getGeometryType());
        }
    }

    /** Creates an always-active fence with default hysteresis and gap, applying to the kind's default subjects. */
    public static Fence of(long id, String name, FenceKind kind, Geometry geometry, double radiusOrBufferMeters) {
        return new Fence(
                id,
                name,
                kind,
                geometry,
                geometry instanceof Point ? radiusOrBufferMeters : 0,
                geometry instanceof Lineal ? radiusOrBufferMeters : 0,
                Double.NaN,
                30,
                0,
                Set.of(),
                null,
                Set.of());
    }

    /** Tells whether the fence applies to the subject, following the kind's default when no subjects are named. */
    public boolean appliesTo(long subjectId, SubjectKind subjectKind) {
        return appliesTo(subjectId, subjectKind, null);
    }

    /**
     * Tells whether the fence applies to the subject of the category (null: none recorded): a fence that names
     * categories applies only to subjects of one of them, and then by the rules below.
     */
    public boolean appliesTo(long subjectId, SubjectKind subjectKind, SubjectCategory category) {
        if (!categories.isEmpty() && !categories.contains(categoryOf(subjectKind, category))) {
            return false;
        }
        if (!subjects.isEmpty()) {
            return subjects.contains(subjectId);
        }
        return switch (kind) {
            case SAFE -> false;
            case DANGER -> subjectKind == SubjectKind.WARD;
            case BAN -> true;
            case GRID -> false;
        };
    }

    /** The category a fix counts as: a ward's own, or {@link SubjectCategory#DEMENTIA} when none is recorded. */
    static SubjectCategory categoryOf(SubjectKind subjectKind, SubjectCategory category) {
        return subjectKind == SubjectKind.WARD ? SubjectCategory.orDefault(category) : category;
    }
}
