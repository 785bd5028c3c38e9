package org.geoward.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.geoward.demo.DemoCity.Pt;
import org.geoward.demo.DemoCity.Role;
import org.geoward.demo.DemoCity.Ward;

/**
 * The demo's script: who walks where, and when, in simulated minutes from the start of a run. Data only; {@link
 * DemoSimulator} (the driver) runs the clock, asks where everyone is and sends it through the real doors.
 *
 * <p>In simulated minutes: visitors come to the bank from 2 (passers leave within 15, three anglers stay 40: LOITER at
 * about 32, two of them have phones and get the warning SMS); a ward walks out with her son at 3 (no alert); a ward
 * walks off alone at 4 (WANDER, her daughter gets an SMS, a police officer is sent automatically); two children leave
 * home at 5 and play at the Yangtze's edge from 11 to 26 (DANGER on the minors' water fence, their parents told; the
 * adult wards' bank corridor is narrower and does not reach them); a ward heads for the Yangtze at 6 (DANGER); a ward
 * presses SOS at 8; a passer-by reports the children at the water at 8; the gas alarm at an elder's home goes off at
 * 12. The watch of the silent ward reports on the wall clock and goes quiet (the driver's {@code silent-after}).
 */
final class DemoScenario {
    /** When the SOS ward presses the button. */
    static final double SOS_MINUTE = 8;

    /** When the passer-by reports the children at the water. */
    static final double CITIZEN_REPORT_MINUTE = 8;

    /** When the gas alarm at {@link DemoCity#GAS_ALARM_WARD}'s home goes off. */
    static final double GAS_ALARM_MINUTE = 12;

    /** Where the passer-by stands: on the bank steps by the children. */
    static final Pt CITIZEN_REPORT_PLACE = DemoCity.FISHING_SPOT.plus(-400, -40);

    private final Map<String, Path> paths = new HashMap<>();
    private final List<Visitor> visitors = new ArrayList<>();

    /** The script of one run; {@code runId} keeps this run's camera tracks apart from an earlier run's. */
    DemoScenario(String runId) {
        for (Ward w : DemoCity.WARDS) {
            paths.put(w.key(), walkOf(w));
        }
        Ward companion = DemoCity.ward(Role.COMPANION);
        paths.put(guardianKey(companion), paths.get(companion.key()).shifted(5, 3));
        int n = 0;
        for (int start : new int[] {2, 5, 9, 12, 15}) {
            Pt from = DemoCity.CAMERA.plus(-300, 0);
            Pt to = DemoCity.CAMERA.plus(300, 0);
            Path p = new Path().at(start, from).at(start + 9, to).at(start + 15, to.plus(0, -450));
            visitors.add(new Visitor("fuling-" + runId + "-p" + ++n, p, start, start + 15, null));
        }
        for (int k = 0; k < 3; k++) {
            int start = 2 + k;
            int leave = 40 + 2 * k;
            Pt spot = DemoCity.FISHING_SPOT.plus(-120 + 120 * k, 0);
            Path p = new Path().at(start, spot).at(leave, spot).at(leave + 8, spot.plus(0, -550));
            String phone = k < 2
                    ? DemoCity.ANGLER_PHONE_PREFIX
                            + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000))
                    : null;
            visitors.add(new Visitor("fuling-" + runId + "-a" + (k + 1), p, start, leave + 8, phone));
        }
    }

    private static Path walkOf(Ward w) {
        Pt home = w.home();
        return switch (w.role()) {
            case COMPANION -> new Path()
                    .at(0, home)
                    .at(3, home)
                    .at(10, home.plus(0, -450))
                    .at(16, home.plus(0, -450))
                    .at(23, home);
            case WANDER -> new Path().at(0, home).at(4, home).at(16, home.plus(-700, -250));
            case RIVER -> new Path()
                    .at(0, home)
                    .at(6, home)
                    .at(16, new Pt(home.lon(), 29.7292))
                    .at(24, new Pt(home.lon(), 29.7292))
                    .at(34, home);
            case CHILD -> {
                Pt water = new Pt(home.lon(), DemoCity.CHILDREN_AT_WATER.lat());
                yield new Path()
                        .at(0, home)
                        .at(5, home)
                        .at(11, water)
                        .at(26, water)
                        .at(33, home);
            }
            default -> new Path().at(0, home);
        };
    }

    /** The key of the ward's guardian. */
    static String guardianKey(Ward w) {
        return "guardian-" + w.key().substring(5);
    }

    /** Where the ward (or the companion's guardian) of {@code key} is at {@code minute}. */
    Pt at(String key, double minute) {
        return paths.get(key).at(minute);
    }

    /** The camera's visitors: passers-by and anglers. */
    List<Visitor> visitors() {
        return visitors;
    }

    /** A found ward walks home at walking pace from {@code from}, starting at {@code minute}. */
    void walkHome(Ward w, Pt from, double minute) {
        double walk = Math.max(1, from.metresTo(w.home()) / 60.0);
        paths.put(w.key(), new Path().at(minute, from).at(minute + walk, w.home()));
    }

    /** A piecewise linear walk: places at simulated minutes; before the first and after the last it stands still. */
    static final class Path {
        private final List<double[]> points = new ArrayList<>();

        Path at(double minute, Pt p) {
            points.add(new double[] {minute, p.lon(), p.lat()});
            return this;
        }

        Pt at(double minute) {
            double[] first = points.get(0);
            if (minute <= first[0]) {
                return new Pt(first[1], first[2]);
            }
            for (int i = 1; i < points.size(); i++) {
                double[] a = points.get(i - 1);
                double[] b = points.get(i);
                if (minute <= b[0]) {
                    double f = b[0] == a[0] ? 1 : (minute - a[0]) / (b[0] - a[0]);
                    return new Pt(a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f);
                }
            }
            double[] last = points.get(points.size() - 1);
            return new Pt(last[1], last[2]);
        }

        Path shifted(double east, double north) {
            Path p = new Path();
            for (double[] q : points) {
                p.at(q[0], new Pt(q[1], q[2]).plus(east, north));
            }
            return p;
        }
    }

    /** A camera visitor: a track id, the walk, when they are in view (simulated minutes), and a phone or null. */
    record Visitor(String trackId, Path path, double from, double until, String phone) {}
}
