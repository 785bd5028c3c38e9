package org.geoward.fence;

import org.geoward.problem.ProblemException;

/** A lon/lat box {@code w,s,e,n} in degrees (WGS 84) that does not cross the antimeridian. */
record Bbox(double west, double south, double east, double north) {

    /** Parses {@code "w,s,e,n"}; throws a 400 on the {@code bbox} parameter saying what is wrong. */
    static Bbox parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            throw bad("bbox must be four numbers west,south,east,north, e.g. 107.35,29.68,107.43,29.72; got '" + text
                    + "'");
        }
        double[] v = new double[4];
        String[] names = {"west", "south", "east", "north"};
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad("bbox " + names[i] + " '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw bad("bbox " + names[i] + " must be a finite number");
            }
            boolean isLon = i % 2 == 0;
            double limit = isLon ? 180 : 90;
            if (Math.abs(v[i]) > limit) {
                throw bad("bbox " + names[i] + " " + parts[i].trim() + " is out of range -" + (int) limit + ".."
                        + (int) limit + (isLon ? "" : "; bbox is west,south,east,north (lon, lat, lon, lat)"));
            }
        }
        if (!(v[0] < v[2])) {
            throw bad("bbox west " + v[0] + " must be less than east " + v[2]
                    + " (boxes across the antimeridian are not supported)");
        }
        if (!(v[1] < v[3])) {
            throw bad("bbox south " + v[1] + " must be less than north " + v[3]);
        }
        return new Bbox(v[0], v[1], v[2], v[3]);
    }

    private static ProblemException bad(String message) {
        return ProblemException.badRequest("bbox", message);
    }
}
