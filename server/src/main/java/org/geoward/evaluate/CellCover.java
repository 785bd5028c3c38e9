package org.geoward.evaluate;

import java.util.Arrays;

/**
 * Covers fences with cells of a global lon/lat grid and records, per (cell, fence), bounds of the signed depth
 * (metres) over the whole cell, plus the few segments that can be nearest to a point of the cell. Cells where the
 * fence is outside by more than its widest fast-path band are left out. Not thread-safe; used while building.
 */
final class CellCover {
    /** Cell size in degrees of longitude and latitude (about 50 m around 30 N). */
    static final double CELL_DEGREES = 0.0005;
    /** Rasters larger than this leave the fence to the large-fence path. */
    static final int MAX_RASTER_CELLS = 6_000_000;
    /** Areas with at most this many segments are measured against all segments. */
    static final int SMALL_AREA_SEGMENTS = 24;

    long[] cellKey = new long[1024];
    int[] fence = new int[1024];
    float[] lo = new float[1024];
    float[] hi = new float[1024];
    int[] candStart = new int[1024];
    /** -1: measure against every segment; 0: none needed (circle or decided); n: n entries in {@link #pool}. */
    int[] candCount = new int[1024];

    int size;
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
        if (shape.form == FenceShape.Form.CIRCLE) {
            // the raster is centred on the circle's centre: it must reach the radius plus the band
            reach = (shape.reach + maxBand + fr.halfDiag) / (1 - fr.relErr) + 1;
        } else if (shape.form == FenceShape.Form.AREA) {
            reach = fr.candidateReach((maxBand + fr.halfDiag) / (1 - fr.relErr));
        } else {
            reach = fr.candidateReach((shape.reach + maxBand + fr.halfDiag) / (1 - fr.relErr));
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
            coverSegments(shape, fenceIndex, maxBand, fr, r, reach);
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
                    add(CellTable.key(r.ix0 + x, r.iy0 + y), fenceIndex, s.reach - fr.highD(dc), high, 0, 0);
                }
            }
        }
    }

    private void coverSegments(FenceShape s, int fenceIndex, double maxBand, Frame fr, Raster r, double reach) {
        float[] dc = new float[r.nx * r.ny];
        Arrays.fill(dc, Float.POSITIVE_INFINITY);
        forEachCellNearSegments(s, fr, r, reach, (cell, seg, d) -> {
            if (d < dc[cell]) {
                dc[cell] = (float) d;
            }
        });
        boolean area = s.form == FenceShape.Form.AREA;
        boolean[] inside = area ? insideCenters(s, r) : null;
        float[] lows = new float[dc.length];
        float[] highs = new float[dc.length];
        boolean[] ambiguous = new boolean[dc.length];
        for (int c = 0; c < dc.length; c++) {
            double d = Math.min(dc[c], reach);
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
        long[] pairs =
                area && s.segmentCount() <= SMALL_AREA_SEGMENTS ? null : candidatePairs(s, fr, r, reach, dc, ambiguous);
        int p = 0;
        for (int c = 0; c < dc.length; c++) {
            if (highs[c] < -maxBand) {
                continue;
            }
            long key = CellTable.key(r.ix0 + c % r.nx, r.iy0 + c / r.nx);
            if (!ambiguous[c]) {
                add(key, fenceIndex, lows[c], highs[c], 0, 0);
            } else if (pairs == null) {
                add(key, fenceIndex, lows[c], highs[c], 0, -1);
            } else {
                while (p < pairs.length && (int) (pairs[p] >>> 32) < c) {
                    p++;
                }
                int start = poolSize;
                while (p < pairs.length && (int) (pairs[p] >>> 32) == c) {
                    poolAdd((int) pairs[p++]);
                }
                add(key, fenceIndex, lows[c], highs[c], start, poolSize - start);
            }
        }
    }

    private long[] candidatePairs(FenceShape s, Frame fr, Raster r, double reach, float[] dc, boolean[] ambiguous) {
        long[][] buf = {new long[256]};
        int[] n = {0};
        forEachCellNearSegments(s, fr, r, reach, (cell, seg, d) -> {
            if (ambiguous[cell] && d <= fr.candidateReach(dc[cell])) {
                if (n[0] == buf[0].length) {
                    buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
                }
                buf[0][n[0]++] = ((long) cell << 32) | seg;
            }
        });
        long[] pairs = Arrays.copyOf(buf[0], n[0]);
        Arrays.sort(pairs);
        return pairs;
    }

    private interface CellVisitor {
        void visit(int cell, int segment, double distanceMeters);
    }

    private static void forEachCellNearSegments(FenceShape s, Frame fr, Raster r, double reach, CellVisitor v) {
        double dLon = reach / fr.kx * (1 + fr.relErr), dLat = reach / fr.ky * (1 + fr.relErr);
        for (int i = 0; i < s.segmentCount(); i++) {
            double ax = (s.x0[i] - fr.lon0) * fr.kx, ay = (s.y0[i] - fr.lat0) * fr.ky;
            double bx = (s.x1[i] - fr.lon0) * fr.kx, by = (s.y1[i] - fr.lat0) * fr.ky;
            int xa = clamp((int) Math.floor((Math.min(s.x0[i], s.x1[i]) - dLon) / CELL_DEGREES) - r.ix0, r.nx);
            int xb = clamp((int) Math.floor((Math.max(s.x0[i], s.x1[i]) + dLon) / CELL_DEGREES) - r.ix0, r.nx);
            int ya = clamp((int) Math.floor((Math.min(s.y0[i], s.y1[i]) - dLat) / CELL_DEGREES) - r.iy0, r.ny);
            int yb = clamp((int) Math.floor((Math.max(s.y0[i], s.y1[i]) + dLat) / CELL_DEGREES) - r.iy0, r.ny);
            for (int y = ya; y <= yb; y++) {
                double py = (r.centerLat(y) - fr.lat0) * fr.ky;
                for (int x = xa; x <= xb; x++) {
                    double px = (r.centerLon(x) - fr.lon0) * fr.kx;
                    double d = FenceShape.pointSegment(px, py, ax, ay, bx, by);
                    if (d <= reach) {
                        v.visit(y * r.nx + x, i, d);
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

    private void add(long key, int fenceIndex, double low, double high, int start, int count) {
        if (size == cellKey.length) {
            int cap = size * 2;
            cellKey = Arrays.copyOf(cellKey, cap);
            fence = Arrays.copyOf(fence, cap);
            lo = Arrays.copyOf(lo, cap);
            hi = Arrays.copyOf(hi, cap);
            candStart = Arrays.copyOf(candStart, cap);
            candCount = Arrays.copyOf(candCount, cap);
        }
        cellKey[size] = key;
        fence[size] = fenceIndex;
        lo[size] = (float) Math.max(-Float.MAX_VALUE, low);
        hi[size] = (float) Math.min(Float.MAX_VALUE, high);
        candStart[size] = start;
        candCount[size] = count;
        size++;
    }

    private void poolAdd(int segment) {
        if (poolSize == pool.length) {
            pool = Arrays.copyOf(pool, poolSize * 2);
        }
        pool[poolSize++] = segment;
    }
}
