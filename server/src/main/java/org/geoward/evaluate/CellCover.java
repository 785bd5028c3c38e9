package org.geoward.evaluate;

import java.util.Arrays;

/**
 * Covers fences with cells of a global lon/lat grid and records, per (cell, fence), bounds of the signed depth
 * (metres) over the whole cell. Where the bounds leave the widest fast-path band undecided, the entry also gets a
 * detail: the few segments that can be nearest to a point of the cell, and the exact depth at {@link #SAMPLES}
 * points spread over the cell. Cells where the fence is outside by more than its widest fast-path band are left
 * out. Not thread-safe; used while building.
 */
final class CellCover {
    /** Cell size in degrees of longitude and latitude (about 50 m around 30 N). */
    static final double CELL_DEGREES = 0.0005;
    /** Rasters larger than this leave the fence to the large-fence path. */
    static final int MAX_RASTER_CELLS = 6_000_000;
    /** Areas with at most this many segments are measured against all segments. */
    static final int SMALL_AREA_SEGMENTS = 24;
    /** Depth samples per side of a cell: a detail holds the depth at the centres of a grid of this many squared. */
    static final int SAMPLE_GRID = 4;

    static final int SAMPLES = SAMPLE_GRID * SAMPLE_GRID;
    /** A detail's sample base is stored in units of this many metres. */
    static final double BASE_METERS = 0.1;
    /** Samples are stored as bytes in units of this many metres above or below their detail's base. */
    static final double SAMPLE_METERS = 0.5;
    /** Marks a sample too far from its base for a byte; the depth must then be measured. */
    static final byte NO_SAMPLE = Byte.MIN_VALUE;

    long[] cellKey = new long[1024];
    int[] fence = new int[1024];
    float[] lo = new float[1024];
    float[] hi = new float[1024];
    /** Index of the entry's detail, or -1 (decided by the bounds, or a circle, which is measured directly). */
    int[] detail = new int[1024];

    int size;
    /** Per detail: where its segment runs start in {@link #pool}. */
    int[] runStart = new int[256];
    /** Per detail: -1 to measure against every segment; n: n runs (from, to) in {@link #pool}. */
    int[] runCount = new int[256];
    /**
     * Per detail: {@link #SAMPLES} depths, row by row from the cell's south-west corner, each {@code base *
     * BASE_METERS + sample * SAMPLE_METERS}, within {@code SAMPLE_METERS / 2} of the exact depth.
     */
    byte[] samples = new byte[256 * SAMPLES];

    int[] sampleBase = new int[256];

    int details;
    int[] pool = new int[1024];
    int poolSize;

    /** Holds the local metric frame of one fence while covering it. */
    private static final class Frame {
        double lon0, lat0, kx, ky, relErr, halfDiag;

        double lowD(double d) {
            return d * (1 - relErr) - halfDiag;
        }

        double highD(double d) {
            return d * (1 + relErr) + halfDiag;
        }

        /** Distance from the cell centre within which every segment that can be nearest to a cell point lies. */
        double candidateReach(double dc) {
            return (dc * (1 + relErr) + 2 * halfDiag) * (1 + relErr) + 1;
        }
    }

    private static Frame frameOf(FenceShape s) {
        Frame f = new Frame();
        f.lon0 = (s.minLon + s.maxLon) / 2;
        f.lat0 = (s.minLat + s.maxLat) / 2;
        f.kx = Geodesy.metersPerDegreeLon(f.lat0);
        f.ky = Geodesy.metersPerDegreeLat(f.lat0);
        double maxAbsLat = Math.min(89, Math.max(Math.abs(s.minLat), Math.abs(s.maxLat)) + 0.01);
        double halfSpan = Math.toRadians((s.maxLat - s.minLat) / 2 + 0.01);
        f.relErr = 0.002 + 1.5 * Math.abs(Math.tan(Math.toRadians(maxAbsLat))) * halfSpan + halfSpan;
        double minAbsLat = Math.max(0, Math.min(Math.abs(s.minLat), Math.abs(s.maxLat)) - 0.01);
        double w = CELL_DEGREES * Geodesy.metersPerDegreeLon(minAbsLat);
        double h = CELL_DEGREES * Geodesy.metersPerDegreeLat(maxAbsLat);
        f.halfDiag = 0.5 * Math.hypot(w, h) * (1 + f.relErr) + 0.5;
        return f;
    }

    /**
     * Adds the cells of one fence. Returns false (adding nothing) when the fence is too large to raster.
     *
     * @param maxBand the widest band (hysteresis + fast-path accuracy) the entries must decide, in metres
     */
    boolean cover(FenceShape shape, int fenceIndex, double maxBand) {
        Frame fr = frameOf(shape);
        double reach;
        double decisiveReach;
        if (shape.form == FenceShape.Form.CIRCLE) {
            // the raster is centred on the circle's centre: it must reach the radius plus the band
            reach = (shape.reach + maxBand + fr.halfDiag) / (1 - fr.relErr) + 1;
            decisiveReach = reach;
        } else if (shape.form == FenceShape.Form.AREA) {
            decisiveReach = (maxBand + fr.halfDiag) / (1 - fr.relErr) + 1;
            reach = fr.candidateReach(decisiveReach);
        } else {
            decisiveReach = (shape.reach + maxBand + fr.halfDiag) / (1 - fr.relErr) + 1;
            reach = Math.max(decisiveReach, fr.candidateReach(shape.reach + maxBand));
        }
        double maxAbsLat = Math.min(89, Math.max(Math.abs(shape.minLat), Math.abs(shape.maxLat)) + 0.05);
        double dLon = reach / Geodesy.metersPerDegreeLon(maxAbsLat);
        double dLat = reach / Geodesy.metersPerDegreeLat(0);
        int ix0 = (int) Math.floor((rawMinLon(shape) - dLon) / CELL_DEGREES);
        int ix1 = (int) Math.floor((rawMaxLon(shape) + dLon) / CELL_DEGREES);
        int iy0 = (int) Math.floor((rawMinLat(shape) - dLat) / CELL_DEGREES);
        int iy1 = (int) Math.floor((rawMaxLat(shape) + dLat) / CELL_DEGREES);
        long cells = (long) (ix1 - ix0 + 1) * (iy1 - iy0 + 1);
        if (cells > MAX_RASTER_CELLS) {
            return false;
        }
        Raster r = new Raster(ix0, iy0, ix1 - ix0 + 1, iy1 - iy0 + 1);
        if (shape.form == FenceShape.Form.CIRCLE) {
            coverCircle(shape, fenceIndex, maxBand, fr, r);
        } else {
            coverSegments(shape, fenceIndex, maxBand, fr, r, decisiveReach, reach);
        }
        return true;
    }

    // The shape envelope includes the corridor buffer; the raster reach already does, so use the segment bounds.
    private static double rawMinLon(FenceShape s) {
        return s.form == FenceShape.Form.CIRCLE ? s.centerLon : min(s.x0, s.x1);
    }

    private static double rawMaxLon(FenceShape s) {
        return s.form == FenceShape.Form.CIRCLE ? s.centerLon : max(s.x0, s.x1);
    }

    private static double rawMinLat(FenceShape s) {
        return s.form == FenceShape.Form.CIRCLE ? s.centerLat : min(s.y0, s.y1);
    }

    private static double rawMaxLat(FenceShape s) {
        return s.form == FenceShape.Form.CIRCLE ? s.centerLat : max(s.y0, s.y1);
    }

    private static double min(double[] a, double[] b) {
        double m = Double.MAX_VALUE;
        for (int i = 0; i < a.length; i++) {
            m = Math.min(m, Math.min(a[i], b[i]));
        }
        return m;
    }

    private static double max(double[] a, double[] b) {
        double m = -Double.MAX_VALUE;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.max(a[i], b[i]));
        }
        return m;
    }

    /** A dense block of cells: column ix0+x, row iy0+y is cell y*nx+x. */
    private record Raster(int ix0, int iy0, int nx, int ny) {
        double centerLon(int x) {
            return (ix0 + x + 0.5) * CELL_DEGREES;
        }

        double centerLat(int y) {
            return (iy0 + y + 0.5) * CELL_DEGREES;
        }
    }

    private void coverCircle(FenceShape s, int fenceIndex, double maxBand, Frame fr, Raster r) {
        double cx = (s.centerLon - fr.lon0) * fr.kx, cy = (s.centerLat - fr.lat0) * fr.ky;
        for (int y = 0; y < r.ny; y++) {
            double py = (r.centerLat(y) - fr.lat0) * fr.ky - cy;
            for (int x = 0; x < r.nx; x++) {
                double px = (r.centerLon(x) - fr.lon0) * fr.kx - cx;
                double dc = Math.sqrt(px * px + py * py);
                double high = s.reach - fr.lowD(dc);
                if (high >= -maxBand) {
                    add(cellKey(r.ix0 + x, r.iy0 + y), fenceIndex, s.reach - fr.highD(dc), high, -1);
                }
            }
        }
    }

    private void coverSegments(
            FenceShape s, int fenceIndex, double maxBand, Frame fr, Raster r, double decisiveReach, double reach) {
        float[] dc = new float[r.nx * r.ny];
        Arrays.fill(dc, Float.POSITIVE_INFINITY);
        forEachCellNearSegments(s, fr, r, decisiveReach, (cell, seg, d2) -> {
            if (d2 < dc[cell]) {
                dc[cell] = (float) d2;
            }
        });
        for (int c = 0; c < dc.length; c++) {
            dc[c] = (float) Math.sqrt(dc[c]);
        }
        boolean area = s.form == FenceShape.Form.AREA;
        boolean[] inside = area ? insideCenters(s, r) : null;
        float[] lows = new float[dc.length];
        float[] highs = new float[dc.length];
        boolean[] ambiguous = new boolean[dc.length];
        for (int c = 0; c < dc.length; c++) {
            double d = Math.min(dc[c], decisiveReach);
            double low, high;
            if (area) {
                double near = fr.lowD(d), far = fr.highD(d);
                boolean in = inside[c];
                low = near <= 0 ? -far : (in ? near : -far);
                high = near <= 0 ? far : (in ? (dc[c] == Float.POSITIVE_INFINITY ? Float.MAX_VALUE : far) : -near);
            } else {
                low = s.reach - fr.highD(d);
                high = dc[c] == Float.POSITIVE_INFINITY ? -Float.MAX_VALUE : s.reach - fr.lowD(d);
            }
            lows[c] = (float) low;
            highs[c] = (float) high;
            ambiguous[c] = high >= -maxBand && low <= maxBand;
        }
        boolean allSegments = area && s.segmentCount() <= SMALL_AREA_SEGMENTS;
        Runs runs = allSegments ? null : candidateRuns(s, fr, r, reach, dc, ambiguous, maxBand);
        for (int c = 0; c < dc.length; c++) {
            if (highs[c] < -maxBand) {
                continue;
            }
            int ix = r.ix0 + c % r.nx, iy = r.iy0 + c / r.nx;
            if (!ambiguous[c]) {
                add(cellKey(ix, iy), fenceIndex, lows[c], highs[c], -1);
                continue;
            }
            int start = poolSize;
            if (runs != null) {
                for (int run = runs.head[c]; run >= 0; run = runs.next[run]) {
                    poolAdd(runs.from[run]);
                    poolAdd(runs.to[run]);
                }
            }
            int count = poolSize == start ? -1 : (poolSize - start) / 2;
            add(cellKey(ix, iy), fenceIndex, lows[c], highs[c], addDetail(s, ix, iy, start, count));
        }
    }

    private int addDetail(FenceShape s, int ix, int iy, int start, int count) {
        if (details == runStart.length) {
            runStart = Arrays.copyOf(runStart, details * 2);
            runCount = Arrays.copyOf(runCount, details * 2);
            samples = Arrays.copyOf(samples, details * 2 * SAMPLES);
            sampleBase = Arrays.copyOf(sampleBase, details * 2);
        }
        runStart[details] = start;
        runCount[details] = count;
        double[] depths =
                s.form == FenceShape.Form.CORRIDOR && count > 0 ? corridorSampleDepths(s, ix, iy, start, count) : null;
        if (depths == null) {
            depths = new double[SAMPLES];
            for (int k = 0; k < SAMPLES; k++) {
                double lon = sampleLon(ix, k % SAMPLE_GRID), lat = sampleLat(iy, k / SAMPLE_GRID);
                depths[k] = count < 0 ? s.depth(lon, lat) : s.depth(lon, lat, pool, start, count);
            }
        }
        double low = Double.MAX_VALUE, high = -Double.MAX_VALUE;
        for (double d : depths) {
            low = Math.min(low, d);
            high = Math.max(high, d);
        }
        long base = Math.round((low + high) / 2 / BASE_METERS);
        base = Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, base));
        sampleBase[details] = (int) base;
        for (int k = 0; k < SAMPLES; k++) {
            long q = Math.round((depths[k] - base * BASE_METERS) / SAMPLE_METERS);
            samples[details * SAMPLES + k] = q > Byte.MIN_VALUE && q <= Byte.MAX_VALUE ? (byte) q : NO_SAMPLE;
        }
        return details++;
    }

    /**
     * Returns the corridor's depth at every sample of the cell, measured in one frame at the cell's centre: each
     * candidate segment is projected once for all samples. Within a cell this agrees with {@link FenceShape#depth}
     * to well under the slack the index allows for samples.
     */
    private double[] corridorSampleDepths(FenceShape s, int ix, int iy, int start, int count) {
        double lon0 = (ix + 0.5) * CELL_DEGREES, lat0 = (iy + 0.5) * CELL_DEGREES;
        double kx = Geodesy.metersPerDegreeLon(lat0), ky = Geodesy.metersPerDegreeLat(lat0);
        double[] sx = new double[SAMPLES], sy = new double[SAMPLES], best = new double[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            sx[k] = (sampleLon(ix, k % SAMPLE_GRID) - lon0) * kx;
            sy[k] = (sampleLat(iy, k / SAMPLE_GRID) - lat0) * ky;
            best[k] = Double.MAX_VALUE;
        }
        for (int run = 0; run < count; run++) {
            for (int i = pool[start + 2 * run], to = pool[start + 2 * run + 1]; i <= to; i++) {
                double ax = (s.x0[i] - lon0) * kx, ay = (s.y0[i] - lat0) * ky;
                double dx = (s.x1[i] - s.x0[i]) * kx, dy = (s.y1[i] - s.y0[i]) * ky;
                double len2 = dx * dx + dy * dy;
                double inv = len2 > 0 ? 1 / len2 : 0;
                for (int k = 0; k < SAMPLES; k++) {
                    double px = sx[k] - ax, py = sy[k] - ay;
                    double t = Math.max(0, Math.min(1, (px * dx + py * dy) * inv));
                    double ex = px - t * dx, ey = py - t * dy;
                    best[k] = Math.min(best[k], ex * ex + ey * ey);
                }
            }
        }
        for (int k = 0; k < SAMPLES; k++) {
            best[k] = s.reach - Math.sqrt(best[k]);
        }
        return best;
    }

    /** Returns the key of the cell in column ix and row iy. */
    static long cellKey(int ix, int iy) {
        return ((long) ix << 32) | (iy & 0xffffffffL);
    }

    static int column(long cellKey) {
        return (int) (cellKey >> 32);
    }

    static int row(long cellKey) {
        return (int) cellKey;
    }

    /** Returns the longitude of sample column {@code gx} of cell column {@code ix}. */
    static double sampleLon(int ix, int gx) {
        return (ix + (gx + 0.5) / SAMPLE_GRID) * CELL_DEGREES;
    }

    /** Returns the latitude of sample row {@code gy} of cell row {@code iy}. */
    static double sampleLat(int iy, int gy) {
        return (iy + (gy + 0.5) / SAMPLE_GRID) * CELL_DEGREES;
    }

    /** Per cell, a linked list of runs of segment indices (both ends inclusive). */
    private static final class Runs {
        final int[] head;
        final int[] tail;
        int[] from = new int[256];
        int[] to = new int[256];
        int[] next = new int[256];
        int size;

        Runs(int cells) {
            head = new int[cells];
            tail = new int[cells];
            Arrays.fill(head, -1);
            Arrays.fill(tail, -1);
        }

        /** Adds a segment; segments arrive in increasing order per cell, and short gaps are bridged. */
        void add(int cell, int segment) {
            int t = tail[cell];
            if (t >= 0 && segment - to[t] <= 4) {
                to[t] = segment;
                return;
            }
            if (size == from.length) {
                from = Arrays.copyOf(from, size * 2);
                to = Arrays.copyOf(to, size * 2);
                next = Arrays.copyOf(next, size * 2);
            }
            from[size] = segment;
            to[size] = segment;
            next[size] = -1;
            if (t < 0) {
                head[cell] = size;
            } else {
                next[t] = size;
            }
            tail[cell] = size++;
        }
    }

    /**
     * Finds, for every ambiguous cell, the segments that can be nearest to a point of the cell. For corridors, only
     * segments that can lie within buffer + band of such a point: a farther nearest segment means clearly outside.
     */
    private Runs candidateRuns(
            FenceShape s, Frame fr, Raster r, double reach, float[] dc, boolean[] ambiguous, double maxBand) {
        Runs runs = new Runs(dc.length);
        double corridorCap =
                s.form == FenceShape.Form.CORRIDOR ? fr.candidateReach(s.reach + maxBand) : Double.POSITIVE_INFINITY;
        forEachCellNearSegments(s, fr, r, reach, (cell, seg, d2) -> {
            if (ambiguous[cell]) {
                double cap = Math.min(corridorCap, fr.candidateReach(dc[cell]));
                if (d2 <= cap * cap) {
                    runs.add(cell, seg);
                }
            }
        });
        return runs;
    }

    private interface CellVisitor {
        void visit(int cell, int segment, double squaredMeters);
    }

    /** Visits every (cell, segment) pair whose cell centre lies within {@code reach} metres of the segment. */
    private static void forEachCellNearSegments(FenceShape s, Frame fr, Raster r, double reach, CellVisitor v) {
        double dLon = reach / fr.kx * (1 + fr.relErr), dLat = reach / fr.ky * (1 + fr.relErr);
        double reach2 = reach * reach;
        for (int i = 0; i < s.segmentCount(); i++) {
            double ax = (s.x0[i] - fr.lon0) * fr.kx, ay = (s.y0[i] - fr.lat0) * fr.ky;
            double dx = (s.x1[i] - fr.lon0) * fr.kx - ax, dy = (s.y1[i] - fr.lat0) * fr.ky - ay;
            double len2 = dx * dx + dy * dy;
            double inv = len2 > 0 ? 1 / len2 : 0;
            int xa = clamp((int) Math.floor((Math.min(s.x0[i], s.x1[i]) - dLon) / CELL_DEGREES) - r.ix0, r.nx);
            int xb = clamp((int) Math.floor((Math.max(s.x0[i], s.x1[i]) + dLon) / CELL_DEGREES) - r.ix0, r.nx);
            int ya = clamp((int) Math.floor((Math.min(s.y0[i], s.y1[i]) - dLat) / CELL_DEGREES) - r.iy0, r.ny);
            int yb = clamp((int) Math.floor((Math.max(s.y0[i], s.y1[i]) + dLat) / CELL_DEGREES) - r.iy0, r.ny);
            for (int y = ya; y <= yb; y++) {
                double py = (r.centerLat(y) - fr.lat0) * fr.ky - ay;
                for (int x = xa; x <= xb; x++) {
                    double px = (r.centerLon(x) - fr.lon0) * fr.kx - ax;
                    double t = Math.max(0, Math.min(1, (px * dx + py * dy) * inv));
                    double ex = px - t * dx, ey = py - t * dy;
                    double d2 = ex * ex + ey * ey;
                    if (d2 <= reach2) {
                        v.visit(y * r.nx + x, i, d2);
                    }
                }
            }
        }
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    /** Tells, for every cell centre, whether it lies inside the area (even-odd rule over all rings). */
    private static boolean[] insideCenters(FenceShape s, Raster r) {
        boolean[] inside = new boolean[r.nx * r.ny];
        double[] xs = new double[16];
        for (int y = 0; y < r.ny; y++) {
            double lat = r.centerLat(y);
            int n = 0;
            for (int i = 0; i < s.segmentCount(); i++) {
                if ((s.y0[i] > lat) != (s.y1[i] > lat)) {
                    if (n == xs.length) {
                        xs = Arrays.copyOf(xs, n * 2);
                    }
                    xs[n++] = s.x0[i] + (lat - s.y0[i]) * (s.x1[i] - s.x0[i]) / (s.y1[i] - s.y0[i]);
                }
            }
            Arrays.sort(xs, 0, n);
            int k = 0;
            for (int x = 0; x < r.nx; x++) {
                double lon = r.centerLon(x);
                while (k < n && xs[k] < lon) {
                    k++;
                }
                inside[y * r.nx + x] = (k & 1) == 1;
            }
        }
        return inside;
    }

    private void add(long key, int fenceIndex, double low, double high, int detailIndex) {
        if (size == cellKey.length) {
            int cap = size * 2;
            cellKey = Arrays.copyOf(cellKey, cap);
            fence = Arrays.copyOf(fence, cap);
            lo = Arrays.copyOf(lo, cap);
            hi = Arrays.copyOf(hi, cap);
            detail = Arrays.copyOf(detail, cap);
        }
        cellKey[size] = key;
        fence[size] = fenceIndex;
        lo[size] = (float) Math.max(-Float.MAX_VALUE, low);
        hi[size] = (float) Math.min(Float.MAX_VALUE, high);
        detail[size] = detailIndex;
        size++;
    }

    private void poolAdd(int segment) {
        if (poolSize == pool.length) {
            pool = Arrays.copyOf(pool, poolSize * 2);
        }
        pool[poolSize++] = segment;
    }
}
