package org.geoward.evaluate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Answers which fences lie at a point and how deep inside (metres, positive inside) the point is. An immutable
 * snapshot, safe to share between threads; rebuild it with {@link #of} when fences change.
 *
 * <p>Each fence is covered with cells of a global grid of {@link CellCover#CELL_DEGREES} degrees. Every (cell,
 * fence) entry holds bounds of the depth over the cell, so most fixes are decided without any geometry; only cells
 * the fence boundary passes near are measured, and then only against the segments that can be nearest. Fixes with
 * accuracy worse than {@link #FAST_ACCURACY_METERS} and fences too large to raster go through an STRtree and exact
 * measurement instead. Depth is measured on the WGS 84 ellipsoid in a frame centred on the point (error below
 * 0.1 % up to 10 km); the antimeridian is not handled.
 */
public final class FenceIndex {
    /** Fixes with accuracy up to this many metres are decided through the cell covering. */
    public static final double FAST_ACCURACY_METERS = 80;

    private static final double CELL = CellCover.CELL_DEGREES;

    /** A fence the point is inside of, or near enough to its boundary that the band leaves it undecided. */
    public record Candidate(Fence fence, double depthMeters) {}

    private final Fence[] fences;
    private final FenceShape[] shapes;
    private final Map<Long, Integer> byId = new HashMap<>();
    private final Map<Long, List<Fence>> safeBySubject = new HashMap<>();
    private final CellTable cells;
    private final int[] cellStart;
    private final int[] entryFence;
    private final float[] entryLow;
    private final float[] entryHigh;
    private final int[] entryCandStart;
    private final int[] entryCandCount;
    private final int[] pool;
    private final int[] large;
    private final STRtree tree = new STRtree();
    private final double maxHysteresis;
    private final double minHysteresis;

    private FenceIndex(Collection<Fence> input) {
        fences = input.toArray(Fence[]::new);
        shapes = new FenceShape[fences.length];
        CellCover cover = new CellCover();
        List<Integer> tooLarge = new ArrayList<>();
        double maxH = 0;
        double minH = fences.length == 0 ? 0 : Double.MAX_VALUE;
        for (int i = 0; i < fences.length; i++) {
            Fence f = fences[i];
            if (byId.put(f.id(), i) != null) {
                throw new IllegalArgumentException("duplicate fence id " + f.id());
            }
            shapes[i] = FenceShape.of(f);
            maxH = Math.max(maxH, f.hysteresisMeters());
            minH = Math.min(minH, f.hysteresisMeters());
            if (!cover.cover(shapes[i], i, f.hysteresisMeters() + FAST_ACCURACY_METERS)) {
                tooLarge.add(i);
            }
            FenceShape s = shapes[i];
            tree.insert(new Envelope(s.minLon, s.maxLon, s.minLat, s.maxLat), i);
            if (f.kind() == FenceKind.SAFE) {
                for (Long subject : f.subjects()) {
                    safeBySubject
                            .computeIfAbsent(subject, k -> new ArrayList<>())
                            .add(f);
                }
            }
        }
        tree.build();
        maxHysteresis = maxH;
        minHysteresis = minH;
        large = tooLarge.stream().mapToInt(Integer::intValue).toArray();
        cells = new CellTable(Math.max(16, cover.size / 4));
        int[] cellOf = new int[cover.size];
        for (int e = 0; e < cover.size; e++) {
            cellOf[e] = cells.intern(cover.cellKey[e]);
        }
        cellStart = new int[cells.size() + 1];
        for (int e = 0; e < cover.size; e++) {
            cellStart[cellOf[e] + 1]++;
        }
        for (int c = 0; c < cells.size(); c++) {
            cellStart[c + 1] += cellStart[c];
        }
        entryFence = new int[cover.size];
        entryLow = new float[cover.size];
        entryHigh = new float[cover.size];
        entryCandStart = new int[cover.size];
        entryCandCount = new int[cover.size];
        int[] fill = java.util.Arrays.copyOf(cellStart, cells.size());
        for (int e = 0; e < cover.size; e++) {
            int at = fill[cellOf[e]]++;
            entryFence[at] = cover.fence[e];
            entryLow[at] = cover.lo[e];
            entryHigh[at] = cover.hi[e];
            entryCandStart[at] = cover.candStart[e];
            entryCandCount[at] = cover.candCount[e];
        }
        pool = java.util.Arrays.copyOf(cover.pool, cover.poolSize);
    }

    /** Builds an index over the fences; ids must be unique. */
    public static FenceIndex of(Collection<Fence> fences) {
        return new FenceIndex(fences);
    }

    /** Returns the number of fences. */
    public int size() {
        return fences.length;
    }

    /** Returns the number of (cell, fence) entries of the covering; for diagnostics. */
    public int cellEntries() {
        return entryFence.length;
    }

    @Override
    public String toString() {
        return "FenceIndex[" + fences.length + " fences, " + entryFence.length + " cell entries]";
    }

    /** Returns the smallest hysteresis margin of any fence, in metres. */
    public double minHysteresisMeters() {
        return minHysteresis;
    }

    /** Returns the fence with the id, or null. */
    public Fence fence(long id) {
        Integer i = byId.get(id);
        return i == null ? null : fences[i];
    }

    /** Returns the SAFE fences that name the subject. */
    public List<Fence> safeFencesOf(long subjectId) {
        return safeBySubject.getOrDefault(subjectId, List.of());
    }

    /** Returns the exact signed depth in metres of the point in the fence (positive inside). */
    public double depthMeters(long fenceId, double lon, double lat) {
        Integer i = byId.get(fenceId);
        if (i == null) {
            throw new IllegalArgumentException("no fence " + fenceId);
        }
        return shapes[i].depth(lon, lat);
    }

    /**
     * Returns the fences whose signed depth at the point is at least minus (the fence's hysteresis + accuracy); a
     * fence not returned is outside by more than that. Depths within that band are exact; a depth beyond it may be
     * a bound (it is then still beyond the band, with the right sign).
     */
    public List<Candidate> candidates(double lon, double lat, double accuracyMeters) {
        double accuracy = Double.isNaN(accuracyMeters) ? 0 : Math.max(0, accuracyMeters);
        List<Candidate> out = new ArrayList<>(4);
        if (accuracy > FAST_ACCURACY_METERS) {
            measureNear(lon, lat, accuracy, out);
            return out;
        }
        int cell = cells.get(CellTable.key((int) Math.floor(lon / CELL), (int) Math.floor(lat / CELL)));
        if (cell >= 0) {
            for (int e = cellStart[cell], end = cellStart[cell + 1]; e < end; e++) {
                int f = entryFence[e];
                double band = fences[f].hysteresisMeters() + accuracy;
                if (entryLow[e] > band) {
                    out.add(new Candidate(fences[f], entryLow[e]));
                } else if (entryHigh[e] >= -band) {
                    double d = measure(e, f, lon, lat);
                    if (d >= -band) {
                        out.add(new Candidate(fences[f], d));
                    }
                }
            }
        }
        for (int f : large) {
            addIfNear(f, lon, lat, accuracy, out);
        }
        return out;
    }

    private double measure(int entry, int f, double lon, double lat) {
        FenceShape s = shapes[f];
        int count = entryCandCount[entry];
        if (count <= 0 || s.form == FenceShape.Form.CIRCLE) {
            return s.depth(lon, lat);
        }
        return s.depth(lon, lat, pool, entryCandStart[entry], count);
    }

    private void measureNear(double lon, double lat, double accuracy, List<Candidate> out) {
        for (Object o : tree.query(padded(lon, lat, lon, lat, maxHysteresis + accuracy))) {
            addIfNear((Integer) o, lon, lat, accuracy, out);
        }
    }

    private void addIfNear(int f, double lon, double lat, double accuracy, List<Candidate> out) {
        double band = fences[f].hysteresisMeters() + accuracy;
        FenceShape s = shapes[f];
        if (!padded(s.minLon, s.minLat, s.maxLon, s.maxLat, band).contains(lon, lat)) {
            return;
        }
        double d = s.depth(lon, lat);
        if (d >= -band) {
            out.add(new Candidate(fences[f], d));
        }
    }

    private static Envelope padded(double minLon, double minLat, double maxLon, double maxLat, double meters) {
        double dLat = meters / Geodesy.metersPerDegreeLat(0) + 1e-9;
        double edge = Math.min(89.9, Math.max(Math.abs(minLat), Math.abs(maxLat)) + dLat);
        double dLon = meters / Geodesy.metersPerDegreeLon(edge) + 1e-9;
        return new Envelope(minLon - dLon, maxLon + dLon, minLat - dLat, maxLat + dLat);
    }

    /**
     * Returns the fences accepted by the filter whose shape (with radius or buffer) the straight segment between
     * two points passes through.
     */
    public List<Fence> fencesCrossedBy(double lonA, double latA, double lonB, double latB, Predicate<Fence> filter) {
        List<Integer> seen = new ArrayList<>(2);
        int x0 = (int) Math.floor(Math.min(lonA, lonB) / CELL), x1 = (int) Math.floor(Math.max(lonA, lonB) / CELL);
        int y0 = (int) Math.floor(Math.min(latA, latB) / CELL), y1 = (int) Math.floor(Math.max(latA, latB) / CELL);
        if ((long) (x1 - x0 + 1) * (y1 - y0 + 1) <= 4096) {
            for (int x = x0; x <= x1; x++) {
                double[] ys = latSpanInColumn(x, lonA, latA, lonB, latB);
                int ya = Math.max(y0, (int) Math.floor(ys[0] / CELL)),
                        yb = Math.min(y1, (int) Math.floor(ys[1] / CELL));
                for (int y = ya; y <= yb; y++) {
                    collectReaching(cells.get(CellTable.key(x, y)), filter, seen);
                }
            }
            for (int f : large) {
                addUnseen(f, filter, seen);
            }
        } else {
            for (Object o : tree.query(padded(Math.min(lonA, lonB), y0 * CELL, Math.max(lonA, lonB), y1 * CELL, 1))) {
                addUnseen((Integer) o, filter, seen);
            }
        }
        List<Fence> out = new ArrayList<>(seen.size());
        for (int f : seen) {
            if (shapes[f].isCrossedBy(lonA, latA, lonB, latB)) {
                out.add(fences[f]);
            }
        }
        return out;
    }

    private static double[] latSpanInColumn(int x, double lonA, double latA, double lonB, double latB) {
        if (lonA == lonB) {
            return new double[] {Math.min(latA, latB) - 1e-12, Math.max(latA, latB) + 1e-12};
        }
        double from = Math.max(Math.min(lonA, lonB), x * CELL), to = Math.min(Math.max(lonA, lonB), (x + 1) * CELL);
        double la = latA + (from - lonA) * (latB - latA) / (lonB - lonA);
        double lb = latA + (to - lonA) * (latB - latA) / (lonB - lonA);
        return new double[] {Math.min(la, lb) - 1e-12, Math.max(la, lb) + 1e-12};
    }

    private void collectReaching(int cell, Predicate<Fence> filter, List<Integer> seen) {
        if (cell < 0) {
            return;
        }
        for (int e = cellStart[cell], end = cellStart[cell + 1]; e < end; e++) {
            if (entryHigh[e] >= 0) {
                addUnseen(entryFence[e], filter, seen);
            }
        }
    }

    private void addUnseen(int f, Predicate<Fence> filter, List<Integer> seen) {
        if (!seen.contains(f) && filter.test(fences[f])) {
            seen.add(f);
        }
    }
}
