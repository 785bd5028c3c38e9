package org.geoward.evaluate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * fence) entry holds bounds of the depth over the cell, so most fixes are decided without any geometry. In cells the
 * fence boundary passes near, the depth at the four of 16 samples per cell around the point, each widened by the
 * distance to it, usually decides; the rest are measured, and then only against the segments that can be nearest.
 * Cells are found through tiles of 16 x 16 cells, and a cell's entries lie side by side in one {@code int[]}; what
 * the evaluator needs of a fence (id, kind, hysteresis, whom it applies to) sits by position in flat arrays, so a
 * fix usually touches a few cache lines of the index and no {@link Fence}. Fixes with
 * accuracy worse than {@link #FAST_ACCURACY_METERS} and fences too large to raster go through an STRtree and exact
 * measurement instead. Depth is measured on the WGS 84 ellipsoid in a frame centred on the point (error below
 * 0.1 % up to 10 km); the antimeridian is not handled.
 */
public final class FenceIndex {
    /** Fixes with accuracy up to this many metres are decided through the cell covering. */
    public static final double FAST_ACCURACY_METERS = 80;

    private static final double CELL = CellCover.CELL_DEGREES;
    private static final int[] NONE = {};
    private static final double[] NO_DEPTHS = {};
    /** Covers the rounding of stored samples and the measuring error between two points a few metres apart. */
    private static final double SAMPLE_SLACK_METERS = CellCover.SAMPLE_METERS / 2 + 0.01;

    private static final int GRID = CellCover.SAMPLE_GRID;
    /** Cells per side of a tile: the cells of a tile have their entry offsets side by side in {@link #cellStart}. */
    private static final int TILE_SHIFT = 4, TILE_SIDE = 1 << TILE_SHIFT, TILE_CELLS = TILE_SIDE * TILE_SIDE;
    /** Depth bounds of an entry are stored as shorts in units of this many metres, rounded outwards. */
    private static final double BOUND_METERS = 0.25;
    /**
     * Offsets in an entry: the fence's position (its complement when the entry has a detail), the low and high depth
     * bounds over the cell (two shorts), and for entries with a detail: where its segment runs start in {@link #pool},
     * its sample base (a short) with the number of runs (a short, -1 for every segment), and its depth samples, four
     * bytes an int (see {@link CellCover#samples}).
     */
    private static final int FENCE = 0, BOUNDS = 1, RUNS = 2, BASE_AND_COUNT = 3, SAMPLES = 4;

    private static final int ENTRY_INTS = 2, DETAILED_ENTRY_INTS = SAMPLES + CellCover.SAMPLES / 4;

    /** A fence the point is inside of, or near enough to its boundary that the band leaves it undecided. */
    public record Candidate(Fence fence, double depthMeters) {}

    /** Marks a fence that applies to the kind's default subjects, one named subject, or a set of them. */
    private static final byte KIND_DEFAULT = 0, ONE_SUBJECT = 1, SUBJECT_SET = 2;

    private final Fence[] fences;
    private final FenceShape[] shapes;
    /** Fence id to its position in {@link #fences}. */
    private final LongTable byId;
    /** Subject id to its index in {@link #safeLists}. */
    private final LongTable safeBySubject;

    private final List<List<Fence>> safeLists = new ArrayList<>();
    /** Per subject of {@link #safeBySubject}: the positions of its SAFE fences. */
    private final int[][] safePositions;
    /**
     * What the evaluator asks of every fence, by position, side by side in one array so that deciding a fence reads
     * one line and need not touch its {@link Fence}: at {@code FENCE_LONGS * position} its id, its hysteresis margin
     * (metres, double bits), the subject it names if it names one, and its kind, audience and whether it is always
     * active (see {@link #meta}).
     */
    private final long[] fenceData;

    private static final int FENCE_LONGS = 4, ID = 0, HYSTERESIS = 1, SOLE_SUBJECT = 2, META = 3;
    private static final FenceKind[] KINDS = FenceKind.values();
    /** Per position, its BAN dwell and its longest gap in an episode, in minutes. */
    private final int[] minutes;

    /** Tile key (see {@link #tileKey}) to the tile's number. */
    private final LongTable tiles;
    /**
     * When the tiles lie in a compact block (one city): tile (column x, row y) of the block at {@code y *
     * tileColumns + x}, its number or -1; null otherwise. Spares the hash lookup.
     */
    private final int[] tileGrid;

    private final int tileColumn0, tileRow0, tileColumns, tileRows;
    /**
     * Where the entries of each cell start in {@link #entries}: cell (column x, row y) of tile t at {@code t *
     * TILE_CELLS + y * TILE_SIDE + x}; its entries end where the next one's start.
     */
    private final int[] cellStart;
    /** The (cell, fence) entries, a cell's entries one after the other, tile by tile; see {@link #FENCE}. */
    private final int[] entries;

    private final int entryCount;
    /** The segment runs that can be nearest, (from, to) pairs, of every entry with a detail. */
    private final int[] pool;
    /** Per fence position, what {@link FenceShape#circleDepth} needs of a circle; radius 0 for other fences. */
    private final double[] circles;

    private final int[] large;
    private final STRtree tree;
    private final double maxHysteresis;
    private final double minHysteresis;

    private FenceIndex(Builder b) {
        fences = b.fences;
        shapes = b.shapes;
        byId = b.byId;
        safeBySubject = b.safeBySubject;
        safeLists.addAll(b.safeLists);
        safePositions = b.safePositions;
        fenceData = b.fenceData;
        minutes = b.minutes;
        tiles = b.tiles;
        tileGrid = b.tileGrid;
        tileColumn0 = b.block[0];
        tileRow0 = b.block[1];
        tileColumns = b.block[2];
        tileRows = b.block[3];
        cellStart = b.cellStart;
        entries = b.entries;
        entryCount = b.cover.size;
        pool = Arrays.copyOf(b.cover.pool, b.cover.poolSize);
        circles = b.circles;
        large = b.large;
        tree = b.tree;
        maxHysteresis = b.maxHysteresis;
        minHysteresis = b.minHysteresis;
    }

    /**
     * Builds the arrays of an index, step by step, as JTS's STRtree separates building from querying: the shapes with
     * their cell covering and envelope tree, each subject's SAFE fences, the per-fence data the evaluator reads, the
     * tiles and cells of the covering, and the entries in them. Used once per index; not thread-safe.
     */
    private static final class Builder {
        final Fence[] fences;
        final FenceShape[] shapes;
        final LongTable byId;
        final CellCover cover = new CellCover();
        final STRtree tree = new STRtree();
        final List<List<Fence>> safeLists = new ArrayList<>();
        LongTable safeBySubject;
        int[][] safePositions;
        long[] fenceData;
        int[] minutes;
        int[] large;
        double maxHysteresis;
        double minHysteresis;
        LongTable tiles;
        int[] slotOf;
        int[] block;
        int[] tileGrid;
        int[] cellStart;
        int[] entries;
        double[] circles;

        Builder(Collection<Fence> input) {
            fences = input.toArray(Fence[]::new);
            shapes = new FenceShape[fences.length];
            byId = new LongTable(fences.length);
        }

        FenceIndex build() {
            shapesAndCovering();
            safeFences();
            fenceData();
            tiles();
            cells();
            circles();
            return new FenceIndex(this);
        }

        /** Each fence's shape, its cells (or its place among the fences too large to cover), its envelope. */
        private void shapesAndCovering() {
            List<Integer> tooLarge = new ArrayList<>();
            maxHysteresis = 0;
            minHysteresis = fences.length == 0 ? 0 : Double.MAX_VALUE;
            for (int i = 0; i < fences.length; i++) {
                Fence f = fences[i];
                if (byId.intern(f.id()) != i) {
                    throw new IllegalArgumentException("duplicate fence id " + f.id());
                }
                shapes[i] = FenceShape.of(f);
                maxHysteresis = Math.max(maxHysteresis, f.hysteresisMeters());
                minHysteresis = Math.min(minHysteresis, f.hysteresisMeters());
                if (!cover.cover(shapes[i], i, f.hysteresisMeters() + FAST_ACCURACY_METERS)) {
                    tooLarge.add(i);
                }
                FenceShape s = shapes[i];
                tree.insert(new Envelope(s.minLon, s.maxLon, s.minLat, s.maxLat), i);
            }
            tree.build();
            large = tooLarge.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Per subject, its SAFE fences and their positions. */
        private void safeFences() {
            Map<Long, List<Fence>> safe = new HashMap<>();
            for (Fence f : fences) {
                if (f.kind() == FenceKind.SAFE) {
                    for (Long subject : f.subjects()) {
                        safe.computeIfAbsent(subject, k -> new ArrayList<>()).add(f);
                    }
                }
            }
            safeBySubject = new LongTable(safe.size());
            safePositions = new int[safe.size()][];
            for (Map.Entry<Long, List<Fence>> e : safe.entrySet()) {
                int n = safeBySubject.intern(e.getKey());
                safeLists.add(List.copyOf(e.getValue()));
                safePositions[n] = e.getValue().stream()
                        .mapToInt(f -> (int) byId.get(f.id()))
                        .toArray();
            }
        }

        /** What the evaluator reads of every fence, side by side (see {@link FenceIndex#fenceData}). */
        private void fenceData() {
            fenceData = new long[fences.length * FENCE_LONGS];
            minutes = new int[fences.length * 2];
            for (int i = 0; i < fences.length; i++) {
                Fence f = fences[i];
                int named = f.subjects().size();
                ActivityWindow w = f.window();
                boolean always = w.isAlways();
                byte who = named == 0 ? KIND_DEFAULT : named == 1 ? ONE_SUBJECT : SUBJECT_SET;
                fenceData[i * FENCE_LONGS + ID] = f.id();
                fenceData[i * FENCE_LONGS + HYSTERESIS] = Double.doubleToRawLongBits(f.hysteresisMeters());
                fenceData[i * FENCE_LONGS + SOLE_SUBJECT] =
                        named == 1 ? f.subjects().iterator().next() : 0;
                fenceData[i * FENCE_LONGS + META] =
                        meta(f.kind(), who, always) | (f.categories().isEmpty() ? 0 : NAMES_CATEGORIES);
                minutes[2 * i] = f.dwellMinutes();
                minutes[2 * i + 1] = f.maxGapMinutes();
            }
        }

        /** The tiles holding covered cells, each entry's slot, and the dense tile grid when the tiles are compact. */
        private void tiles() {
            tiles = new LongTable(Math.max(16, cover.size / 256));
            slotOf = new int[cover.size];
            for (int e = 0; e < cover.size; e++) {
                int ix = CellCover.column(cover.cellKey[e]), iy = CellCover.row(cover.cellKey[e]);
                slotOf[e] = tiles.intern(tileKey(ix, iy)) * TILE_CELLS + cellInTile(ix, iy);
            }
            block = tileBlock(cover);
            long blockTiles = (long) block[2] * block[3];
            if (cover.size > 0 && blockTiles <= Math.max(4096, 16L * tiles.size())) {
                tileGrid = new int[(int) blockTiles];
                Arrays.fill(tileGrid, -1);
                for (int e = 0; e < cover.size; e++) {
                    int tx = (CellCover.column(cover.cellKey[e]) >> TILE_SHIFT) - block[0];
                    int ty = (CellCover.row(cover.cellKey[e]) >> TILE_SHIFT) - block[1];
                    tileGrid[ty * block[2] + tx] = slotOf[e] / TILE_CELLS;
                }
            }
        }

        /** Each cell's entries, one after the other, with where each cell's start. */
        private void cells() {
            cellStart = new int[tiles.size() * TILE_CELLS + 1];
            for (int e = 0; e < cover.size; e++) {
                cellStart[slotOf[e] + 1] += cover.detail[e] < 0 ? ENTRY_INTS : DETAILED_ENTRY_INTS;
            }
            for (int c = 0; c + 1 < cellStart.length; c++) {
                cellStart[c + 1] += cellStart[c];
            }
            entries = new int[cellStart[cellStart.length - 1]];
            int[] fill = Arrays.copyOf(cellStart, cellStart.length - 1);
            for (int e = 0; e < cover.size; e++) {
                int at = fill[slotOf[e]];
                fill[slotOf[e]] += writeEntry(cover, e, entries, at);
            }
        }

        /** What {@link FenceShape#circleDepth} needs of each circle. */
        private void circles() {
            circles = new double[fences.length * FenceShape.CIRCLE_DOUBLES];
            for (int i = 0; i < fences.length; i++) {
                if (shapes[i].form == FenceShape.Form.CIRCLE) {
                    shapes[i].writeCircle(circles, i * FenceShape.CIRCLE_DOUBLES);
                }
            }
        }
    }

    /** Writes entry e of the covering at {@code at} in {@code entries}; returns its length in ints. */
    private static int writeEntry(CellCover cover, int e, int[] entries, int at) {
        int detail = cover.detail[e];
        int low = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.floor(cover.lo[e] / BOUND_METERS)));
        int high = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.ceil(cover.hi[e] / BOUND_METERS)));
        entries[at + FENCE] = detail < 0 ? cover.fence[e] : ~cover.fence[e];
        entries[at + BOUNDS] = (low & 0xffff) | (high << 16);
        if (detail < 0) {
            return ENTRY_INTS;
        }
        int base = cover.sampleBase[detail];
        boolean baseFits = base >= Short.MIN_VALUE && base <= Short.MAX_VALUE;
        int count = cover.runCount[detail] <= Short.MAX_VALUE ? cover.runCount[detail] : -1;
        entries[at + RUNS] = cover.runStart[detail];
        entries[at + BASE_AND_COUNT] = (baseFits ? base & 0xffff : 0) | (count << 16);
        for (int k = 0; k < CellCover.SAMPLES; k++) {
            byte sample = baseFits ? cover.samples[detail * CellCover.SAMPLES + k] : CellCover.NO_SAMPLE;
            entries[at + SAMPLES + k / 4] |= (sample & 0xff) << (8 * (k & 3));
        }
        return DETAILED_ENTRY_INTS;
    }

    /** Returns the first tile column and row of the covering and its width and height in tiles. */
    private static int[] tileBlock(CellCover cover) {
        long x0 = Long.MAX_VALUE, y0 = Long.MAX_VALUE, x1 = Long.MIN_VALUE, y1 = Long.MIN_VALUE;
        for (int e = 0; e < cover.size; e++) {
            int tx = CellCover.column(cover.cellKey[e]) >> TILE_SHIFT,
                    ty = CellCover.row(cover.cellKey[e]) >> TILE_SHIFT;
            x0 = Math.min(x0, tx);
            y0 = Math.min(y0, ty);
            x1 = Math.max(x1, tx);
            y1 = Math.max(y1, ty);
        }
        if (cover.size == 0) {
            return new int[] {0, 0, 0, 0};
        }
        long w = x1 - x0 + 1, h = y1 - y0 + 1;
        return new int[] {(int) x0, (int) y0, (int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE)
        };
    }

    private static long tileKey(int ix, int iy) {
        return CellCover.cellKey(ix >> TILE_SHIFT, iy >> TILE_SHIFT);
    }

    private static int cellInTile(int ix, int iy) {
        return (iy & (TILE_SIDE - 1)) * TILE_SIDE + (ix & (TILE_SIDE - 1));
    }

    /** Returns the entries of cell (ix, iy) as {@code start << 32 | end}; start equals end when it has none. */
    private long cellSpan(int ix, int iy) {
        long tile;
        if (tileGrid != null) {
            int tx = (ix >> TILE_SHIFT) - tileColumn0, ty = (iy >> TILE_SHIFT) - tileRow0;
            if (tx < 0 || ty < 0 || tx >= tileColumns || ty >= tileRows) {
                return 0;
            }
            tile = tileGrid[ty * tileColumns + tx];
        } else {
            tile = tiles.get(tileKey(ix, iy));
        }
        if (tile < 0) {
            return 0;
        }
        int c = (int) tile * TILE_CELLS + cellInTile(ix, iy);
        return ((long) cellStart[c] << 32) | cellStart[c + 1];
    }

    /** Builds an index over the fences; ids must be unique. */
    public static FenceIndex of(Collection<Fence> fences) {
        return new Builder(fences).build();
    }

    /** Returns the number of fences. */
    public int size() {
        return fences.length;
    }

    /** Returns the number of (cell, fence) entries of the covering; for diagnostics. */
    public int cellEntries() {
        return entryCount;
    }

    @Override
    public String toString() {
        return "FenceIndex[" + fences.length + " fences, " + cellEntries() + " cell entries]";
    }

    /** Returns the smallest hysteresis margin of any fence, in metres. */
    public double minHysteresisMeters() {
        return minHysteresis;
    }

    /** Returns the fence with the id, or null. */
    public Fence fence(long id) {
        long i = byId.get(id);
        return i < 0 ? null : fences[(int) i];
    }

    /** Returns the position of the fence with the id (0 to {@link #size()} - 1), or -1. */
    int positionOf(long id) {
        return (int) byId.get(id);
    }

    Fence fenceAt(int position) {
        return fences[position];
    }

    long idAt(int position) {
        return fenceData[position * FENCE_LONGS + ID];
    }

    FenceKind kindAt(int position) {
        return KINDS[(int) fenceData[position * FENCE_LONGS + META] & 3];
    }

    double hysteresisAt(int position) {
        return Double.longBitsToDouble(fenceData[position * FENCE_LONGS + HYSTERESIS]);
    }

    /** Returns the BAN dwell of the fence at the position, in minutes. */
    int dwellMinutesAt(int position) {
        return minutes[2 * position];
    }

    /** Returns the longest silence within a BAN episode of the fence at the position, in minutes. */
    int maxGapMinutesAt(int position) {
        return minutes[2 * position + 1];
    }

    /** The meta bit of a fence that names the categories it applies to. */
    private static final long NAMES_CATEGORIES = 32;

    /** Packs kind (bits 0-1), audience (bits 2-3) and always-active (bit 4); bit 5 is {@link #NAMES_CATEGORIES}. */
    private static long meta(FenceKind kind, byte who, boolean always) {
        return kind.ordinal() | (who << 2) | (always ? 16 : 0);
    }

    /** Tells what {@link Fence#appliesTo} tells for the fence at the position, for a subject without a category. */
    boolean appliesAt(int position, long subjectId, SubjectKind subjectKind) {
        return appliesAt(position, subjectId, subjectKind, null);
    }

    /** Tells what {@link Fence#appliesTo} tells for the fence at the position. */
    boolean appliesAt(int position, long subjectId, SubjectKind subjectKind, SubjectCategory category) {
        long meta = fenceData[position * FENCE_LONGS + META];
        if ((meta & NAMES_CATEGORIES) != 0
                && !fences[position].categories().contains(Fence.categoryOf(subjectKind, category))) {
            return false;
        }
        return switch ((int) (meta >> 2) & 3) {
            case ONE_SUBJECT -> fenceData[position * FENCE_LONGS + SOLE_SUBJECT] == subjectId;
            case SUBJECT_SET -> fences[position].subjects().contains(subjectId);
            default -> switch (KINDS[(int) meta & 3]) {
                case SAFE -> false;
                case DANGER -> subjectKind == SubjectKind.WARD;
                case BAN -> true;
                case GRID -> false;
            };
        };
    }

    /** Tells whether the fence at the position is active at the instant. */
    boolean isActiveAt(int position, Instant instant) {
        return (fenceData[position * FENCE_LONGS + META] & 16) != 0
                || fences[position].window().isActiveAt(instant);
    }

    /** Returns the positions of the SAFE fences that name the subject; do not modify. */
    int[] safePositionsOf(long subjectId) {
        long i = safeBySubject.get(subjectId);
        return i < 0 ? NONE : safePositions[(int) i];
    }

    /** Returns the SAFE fences that name the subject. */
    public List<Fence> safeFencesOf(long subjectId) {
        long i = safeBySubject.get(subjectId);
        return i < 0 ? List.of() : safeLists.get((int) i);
    }

    /** Returns the exact signed depth in metres of the point in the fence (positive inside). */
    public double depthMeters(long fenceId, double lon, double lat) {
        long i = byId.get(fenceId);
        if (i < 0) {
            throw new IllegalArgumentException("no fence " + fenceId);
        }
        return shapes[(int) i].depth(lon, lat);
    }

    /**
     * Returns the fences whose signed depth at the point is at least minus (the fence's hysteresis + accuracy); a
     * fence not returned is outside by more than that. A returned depth is exact or an estimate that compares with
     * minus and plus that band as the exact depth does: it is above the band, below it, or within it, with the exact
     * depth.
     */
    public List<Candidate> candidates(double lon, double lat, double accuracyMeters) {
        Near near = new Near();
        findNear(lon, lat, accuracyMeters, near);
        List<Candidate> out = new ArrayList<>(near.size);
        for (int k = 0; k < near.size; k++) {
            out.add(new Candidate(fences[near.positions[k]], near.depths[k]));
        }
        return out;
    }

    /** Holds what {@link #candidates} returns as fence positions and depths, for the evaluator. */
    static final class Near {
        int[] positions = NONE;
        double[] depths = NO_DEPTHS;
        int size;

        void add(int position, double depth) {
            if (size == positions.length) {
                positions = Arrays.copyOf(positions, Math.max(4, size * 2));
                depths = Arrays.copyOf(depths, Math.max(4, size * 2));
            }
            positions[size] = position;
            depths[size++] = depth;
        }
    }

    /** Adds to {@code out} what {@link #candidates} returns, as positions and depths. */
    void findNear(double lon, double lat, double accuracyMeters, Near out) {
        double accuracy = Double.isNaN(accuracyMeters) ? 0 : Math.max(0, accuracyMeters);
        if (accuracy > FAST_ACCURACY_METERS) {
            measureNear(lon, lat, accuracy, out);
            return;
        }
        int ix = (int) Math.floor(lon / CELL), iy = (int) Math.floor(lat / CELL);
        long span = cellSpan(ix, iy);
        // every fence's band is at least this wide: an entry clearly outside it is skipped without reading the fence
        double narrowest = minHysteresis + accuracy;
        for (int e = (int) (span >>> 32), end = (int) span; e < end; ) {
            int head = entries[e + FENCE];
            int bounds = entries[e + BOUNDS];
            if ((bounds >> 16) * BOUND_METERS < -narrowest) {
                e += head < 0 ? DETAILED_ENTRY_INTS : ENTRY_INTS;
                continue;
            }
            int f = head ^ (head >> 31);
            double band = Double.longBitsToDouble(fenceData[f * FENCE_LONGS + HYSTERESIS]) + accuracy;
            double low = (short) bounds * BOUND_METERS;
            if (low > band) {
                out.add(f, low);
            } else if ((bounds >> 16) * BOUND_METERS >= -band) {
                double d = head < 0
                        ? depthInCell(e, f, ix, iy, lon, lat, band)
                        : circles[f * FenceShape.CIRCLE_DOUBLES + 2] > 0
                                ? FenceShape.circleDepth(circles, f * FenceShape.CIRCLE_DOUBLES, lon, lat)
                                : shapes[f].depth(lon, lat);
                if (d >= -band) {
                    out.add(f, d);
                }
            }
            e += head < 0 ? DETAILED_ENTRY_INTS : ENTRY_INTS;
        }
        for (int f : large) {
            addIfNear(f, lon, lat, accuracy, out);
        }
    }

    /**
     * Returns the depth of a point of cell (ix, iy) in fence f, or an estimate of it that compares with -band and
     * +band as the depth does. Depth changes by at most a metre a metre, so each of the four samples of the entry's
     * detail around the point bounds it by the sample's depth plus or minus the distance to it; where these bounds
     * together leave no doubt they decide, otherwise the depth is measured.
     */
    private double depthInCell(int entry, int f, int ix, int iy, double lon, double lat, double band) {
        int gx0 = Math.min(GRID - 2, Math.max(0, (int) Math.floor((lon / CELL - ix) * GRID - 0.5)));
        int gy0 = Math.min(GRID - 2, Math.max(0, (int) Math.floor((lat / CELL - iy) * GRID - 0.5)));
        double base = (short) entries[entry + BASE_AND_COUNT] * CellCover.BASE_METERS;
        double kx = Geodesy.lonScaleBound(lat), ky = Geodesy.latScaleBound(lat);
        double low = Double.NEGATIVE_INFINITY, high = Double.POSITIVE_INFINITY;
        for (int gy = gy0; gy < gy0 + 2; gy++) {
            for (int gx = gx0; gx < gx0 + 2; gx++) {
                int k = gy * GRID + gx;
                byte sample = (byte) (entries[entry + SAMPLES + k / 4] >> (8 * (k & 3)));
                if (sample == CellCover.NO_SAMPLE) {
                    continue;
                }
                double depth = base + sample * CellCover.SAMPLE_METERS;
                double dx = (lon - CellCover.sampleLon(ix, gx)) * kx;
                double dy = (lat - CellCover.sampleLat(iy, gy)) * ky;
                double reach = Math.sqrt(dx * dx + dy * dy) * 1.001 + 0.001 * Math.abs(depth) + SAMPLE_SLACK_METERS;
                low = Math.max(low, depth - reach);
                high = Math.min(high, depth + reach);
            }
        }
        if (low > band) {
            return low;
        }
        if (high < -band) {
            return high;
        }
        if (low >= -band && high <= band) {
            return (low + high) / 2;
        }
        FenceShape s = shapes[f];
        int count = entries[entry + BASE_AND_COUNT] >> 16;
        return count < 0 ? s.depth(lon, lat) : s.depth(lon, lat, pool, entries[entry + RUNS], count);
    }

    private void measureNear(double lon, double lat, double accuracy, Near out) {
        for (Object o : tree.query(padded(lon, lat, lon, lat, maxHysteresis + accuracy))) {
            addIfNear((Integer) o, lon, lat, accuracy, out);
        }
    }

    private void addIfNear(int f, double lon, double lat, double accuracy, Near out) {
        double band = fences[f].hysteresisMeters() + accuracy;
        FenceShape s = shapes[f];
        if (!padded(s.minLon, s.minLat, s.maxLon, s.maxLat, band).contains(lon, lat)) {
            return;
        }
        double d = s.depth(lon, lat);
        if (d >= -band) {
            out.add(f, d);
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
                    collectReaching(cellSpan(x, y), filter, seen);
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

    private void collectReaching(long span, Predicate<Fence> filter, List<Integer> seen) {
        for (int e = (int) (span >>> 32), end = (int) span; e < end; ) {
            int head = entries[e + FENCE];
            if ((entries[e + BOUNDS] >> 16) >= 0) {
                addUnseen(head ^ (head >> 31), filter, seen);
            }
            e += head < 0 ? DETAILED_ENTRY_INTS : ENTRY_INTS;
        }
    }

    private void addUnseen(int f, Predicate<Fence> filter, List<Integer> seen) {
        if (!seen.contains(f) && filter.test(fences[f])) {
            seen.add(f);
        }
    }
}
