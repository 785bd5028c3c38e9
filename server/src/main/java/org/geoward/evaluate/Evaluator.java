package org.geoward.evaluate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one fix and the subject's state into alert transitions, in this order: order and duplicate check, OFFLINE
 * resolution, SOS, then (if the fix is accurate enough) every fence the fix is near, every SAFE fence of the
 * subject and every fence the state remembers, and finally DANGER crossings between the previous fix and this one.
 * An alert whose type does not apply to the ward's category ({@link SubjectCategory#applies}) is not opened; the fence
 * states move on as for any ward.
 *
 * <p>Thread-safe; the state passed in is updated in place (see {@link SubjectState}).
 */
public final class Evaluator {

    /**
     * Configures the evaluator.
     *
     * @param companionMeters how close a guardian's latest fix must be to count as with the ward (default 50)
     * @param companionTime how recent, either way, a guardian's latest fix must be (default 2 minutes)
     * @param maxAccuracyMeters fixes with worse accuracy decide nothing about fences (default 500)
     */
    public record Config(double companionMeters, Duration companionTime, double maxAccuracyMeters) {
        public static Config defaults() {
            return new Config(50, Duration.ofMinutes(2), 500);
        }
    }

    /**
     * The outcome of one evaluation.
     *
     * @param outOfOrder the fix is older than the last evaluated one and changed no fence state
     * @param duplicate the fix has the same event time as the last evaluated one and changed nothing
     */
    public record Result(SubjectState state, List<Transition> transitions, boolean outOfOrder, boolean duplicate) {}

    /** Decides what a fix says about one fence. */
    enum Decision {
        ENTERED,
        LEFT,
        UNDECIDED
    }

    private static final int[] NONE = {};
    private static final SubjectState.AlertKey OFFLINE = new SubjectState.AlertKey(AlertType.OFFLINE, null);

    private final Config config;

    public Evaluator(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Evaluator() {
        this(Config.defaults());
    }

    /** Evaluates one fix of a subject; a null state means a subject never seen before. */
    public Result evaluate(
            Fix fix, SubjectState state, FenceIndex fences, Set<Long> guardianIds, GuardianLocator guardians) {
        SubjectState s = state == null ? new SubjectState() : state;
        List<Transition> out = new ArrayList<>(0);
        int order = s.compareToLastFix(fix.time());
        if (order <= 0) {
            boolean older = order < 0;
            if (older) {
                raiseSos(fix, s, out);
            }
            return new Result(s, out, older, !older);
        }
        // the fences near the fix first: the index's cache lines then load while the state's do
        FixPass pass = fix.accuracyMeters() > config.maxAccuracyMeters()
                ? null
                : new FixPass(fix, s, fences, guardianIds == null ? Set.of() : guardianIds, guardians, config, out);
        s.setLastFixTime(fix.time());
        resolveOffline(fix, s, out);
        raiseSos(fix, s, out);
        if (pass == null) {
            return new Result(s, out, false, false);
        }
        pass.run();
        s.lastLon = fix.lon();
        s.lastLat = fix.lat();
        s.lastAccuracy = fix.accuracyMeters();
        return new Result(s, out, false, false);
    }

    /**
     * Opens OFFLINE once when {@code now} is at least {@code offlineMinutes} after the last fix; the next fix
     * resolves it. Updates the state in place.
     */
    public List<Transition> checkOffline(long subjectId, SubjectState state, Instant now, int offlineMinutes) {
        Instant last = state.lastFixTime();
        if (last == null
                || state.isOpen(AlertType.OFFLINE, null)
                || Duration.between(last, now).compareTo(Duration.ofMinutes(offlineMinutes)) < 0) {
            return List.of();
        }
        state.open.put(OFFLINE, now);
        String detail = "no fix since " + last;
        return List.of(new Transition(
                Transition.Kind.OPEN,
                AlertType.OFFLINE,
                subjectId,
                null,
                now,
                state.lastLon,
                state.lastLat,
                null,
                detail));
    }

    private static void resolveOffline(Fix fix, SubjectState s, List<Transition> out) {
        if (!s.open.isEmpty() && s.open.remove(AlertType.OFFLINE, null) != null) {
            out.add(transition(Transition.Kind.RESOLVE, AlertType.OFFLINE, fix, null, "REPORTED", "fix received"));
        }
    }

    private static void raiseSos(Fix fix, SubjectState s, List<Transition> out) {
        if (fix.sos()
                && SubjectCategory.applies(AlertType.SOS, fix.subjectKind(), fix.category())
                && s.open.putIfAbsent(AlertType.SOS, null, fix.time()) == null) {
            out.add(transition(Transition.Kind.OPEN, AlertType.SOS, fix, null, null, "SOS pressed"));
        }
    }

    /**
     * Compares the time from {@code from} to {@code to} with the minutes as {@code Duration.between(from,
     * to).compareTo(Duration.ofMinutes(minutes))} does, without making either.
     */
    static int compareElapsed(Instant from, Instant to, int minutes) {
        long seconds = Math.subtractExact(to.getEpochSecond(), from.getEpochSecond());
        int nanos = to.getNano() - from.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        int c = Long.compare(seconds, minutes * 60L);
        return c != 0 ? c : Integer.compare(nanos, 0);
    }

    static Transition transition(
            Transition.Kind kind, AlertType type, Fix fix, Long fenceId, String outcome, String detail) {
        return new Transition(kind, type, fix.subjectId(), fenceId, fix.time(), fix.lon(), fix.lat(), outcome, detail);
    }

    /**
     * Holds one fix's evaluation against the fences. Fences are named by their position in the index, so deciding
     * one reads the index's flat arrays and touches the {@link Fence} only to name it in an alert.
     */
    private static final class FixPass {
        private final Fix fix;
        private final SubjectState s;
        private final FenceIndex index;
        private final Set<Long> guardianIds;
        private final GuardianLocator guardians;
        private final Config config;
        private final List<Transition> out;
        private final FenceIndex.Near near = new FenceIndex.Near();
        /** Positions of the fences already decided for this fix. */
        private int[] done = NONE;

        private int doneCount;
        private Boolean accompanied;

        FixPass(
                Fix fix,
                SubjectState s,
                FenceIndex index,
                Set<Long> guardianIds,
                GuardianLocator guardians,
                Config config,
                List<Transition> out) {
            this.fix = fix;
            this.s = s;
            this.index = index;
            this.guardianIds = guardianIds;
            this.guardians = guardians == null ? GuardianLocator.none() : guardians;
            this.config = config;
            this.out = out;
            index.findNear(fix.lon(), fix.lat(), fix.accuracyMeters(), near);
        }

        void run() {
            for (int k = 0; k < near.size; k++) {
                int f = near.positions[k];
                decide(f, decision(f, near.depths[k]));
            }
            for (int f : index.safePositionsOf(fix.subjectId())) {
                if (!isDone(f)) {
                    decide(f, Decision.LEFT);
                }
            }
            if (!s.fences.isEmpty()) {
                revisitRemembered();
            }
            if (s.hasLastPosition() && (s.lastLon != fix.lon() || s.lastLat != fix.lat())) {
                checkCrossings();
            }
        }

        private void revisitRemembered() {
            int[] left = null;
            int count = 0;
            for (int i = 0; i < s.fences.size(); ) {
                int f = index.positionOf(s.fences.idAt(i));
                if (f >= 0 && isDone(f)) {
                    i++;
                    continue;
                }
                if (f < 0 || !index.appliesAt(f, fix.subjectId(), fix.subjectKind(), fix.category())) {
                    s.fences.removeAt(i);
                } else {
                    i++;
                    if (left == null) {
                        left = new int[s.fences.size()];
                    }
                    left[count++] = f;
                }
            }
            for (int k = 0; k < count; k++) {
                if (!isDone(left[k])) {
                    decide(left[k], Decision.LEFT);
                }
            }
        }

        private boolean isDone(int position) {
            for (int i = 0; i < doneCount; i++) {
                if (done[i] == position) {
                    return true;
                }
            }
            return false;
        }

        private Decision decision(int f, double depth) {
            double band = index.hysteresisAt(f) + fix.accuracyMeters();
            return depth > band ? Decision.ENTERED : depth < -band ? Decision.LEFT : Decision.UNDECIDED;
        }

        private void decide(int f, Decision d) {
            if (doneCount == done.length) {
                done = Arrays.copyOf(done, Math.max(4, doneCount * 2));
            }
            done[doneCount++] = f;
            if (!index.appliesAt(f, fix.subjectId(), fix.subjectKind(), fix.category())
                    || !index.isActiveAt(f, fix.time())) {
                return;
            }
            switch (index.kindAt(f)) {
                case SAFE -> decideSafe(f, d);
                case DANGER -> decideDanger(f, d);
                case BAN -> decideBan(f, d);
                case GRID -> {}
            }
        }

        private void decideSafe(int f, Decision d) {
            long id = index.idAt(f);
            SubjectState.FenceState fs = s.fences.get(id);
            if (fs == null) {
                if (d == Decision.UNDECIDED) {
                    return;
                }
                fs = new SubjectState.FenceState();
                s.fences.put(id, fs);
            }
            if (d == Decision.ENTERED) {
                fs.moveTo(SubjectState.Side.INSIDE, fix.time());
                fs.wanderPending = false;
                if (s.open.remove(AlertType.WANDER, id) != null) {
                    out.add(transition(
                            Transition.Kind.RESOLVE,
                            AlertType.WANDER,
                            fix,
                            id,
                            "RETURNED",
                            "back in " + index.fenceAt(f).name()));
                }
            } else if (d == Decision.LEFT) {
                fs.moveTo(SubjectState.Side.OUTSIDE, fix.time());
            }
            if (fs.side == SubjectState.Side.OUTSIDE && !s.open.contains(AlertType.WANDER, id)) {
                if (isAccompanied()) {
                    fs.wanderPending = true;
                } else {
                    String detail = (fs.wanderPending ? "alone outside " : "left ")
                            + index.fenceAt(f).name();
                    fs.wanderPending = false;
                    open(AlertType.WANDER, f, detail);
                }
            }
        }

        private void decideDanger(int f, Decision d) {
            long id = index.idAt(f);
            if (d == Decision.LEFT) {
                s.fences.remove(id);
            } else if (d == Decision.ENTERED) {
                SubjectState.FenceState fs = s.fences.get(id);
                if (fs == null) {
                    fs = new SubjectState.FenceState();
                    s.fences.put(id, fs);
                }
                if (fs.side != SubjectState.Side.INSIDE) {
                    fs.moveTo(SubjectState.Side.INSIDE, fix.time());
                    if (!s.open.contains(AlertType.DANGER, id)) {
                        open(AlertType.DANGER, f, "entered " + index.fenceAt(f).name());
                    }
                }
            }
        }

        private void decideBan(int f, Decision d) {
            long id = index.idAt(f);
            SubjectState.FenceState fs = s.fences.get(id);
            if (d == Decision.LEFT) {
                s.fences.remove(id);
                return;
            }
            if (fs != null && fs.episodeStart != null && fs.lastInside != null) {
                if (compareElapsed(fs.lastInside, fix.time(), index.maxGapMinutesAt(f)) > 0) {
                    fs.episodeStart = null;
                    fs.loiterRaised = false;
                }
            }
            if (d == Decision.ENTERED && fs == null) {
                fs = new SubjectState.FenceState();
                s.fences.put(id, fs);
            }
            if (fs == null || (d == Decision.UNDECIDED && fs.side != SubjectState.Side.INSIDE)) {
                return;
            }
            fs.moveTo(SubjectState.Side.INSIDE, fix.time());
            if (fs.episodeStart == null) {
                fs.episodeStart = fix.time();
            }
            fs.lastInside = fix.time();
            if (!fs.loiterRaised && compareElapsed(fs.episodeStart, fix.time(), index.dwellMinutesAt(f)) >= 0) {
                fs.loiterRaised = true;
                if (!s.open.contains(AlertType.LOITER, id)) {
                    open(AlertType.LOITER, f, "in " + index.fenceAt(f).name() + " since " + fs.episodeStart);
                }
            }
        }

        /**
         * Opens DANGER for fences the straight segment from the previous fix passes through while both fixes are
         * clearly outside. Both ends are outside by more than their bands, so a segment shorter than the two bands
         * together cannot reach the fence: most fixes skip the geometry entirely.
         */
        private void checkCrossings() {
            double previousAccuracy = Double.isNaN(s.lastAccuracy) ? 0 : s.lastAccuracy;
            double bands = fix.accuracyMeters() + previousAccuracy;
            double shortest = bands + 2 * index.minHysteresisMeters();
            if (Geodesy.distanceBound(s.lastLon, s.lastLat, fix.lon(), fix.lat()) < shortest) {
                return;
            }
            double length = Geodesy.distanceMeters(s.lastLon, s.lastLat, fix.lon(), fix.lat());
            if (length < shortest) {
                return;
            }
            List<Fence> crossed = index.fencesCrossedBy(
                    s.lastLon,
                    s.lastLat,
                    fix.lon(),
                    fix.lat(),
                    f -> f.kind() == FenceKind.DANGER
                            && length >= bands + 2 * f.hysteresisMeters()
                            && f.appliesTo(fix.subjectId(), fix.subjectKind(), fix.category())
                            && !s.fences.containsKey(f.id())
                            && !s.open.contains(AlertType.DANGER, f.id())
                            && f.window().isActiveAt(fix.time()));
            for (Fence f : crossed) {
                int position = index.positionOf(f.id());
                if (isClearlyOutsideNow(position) && isClearlyOutsideBefore(f)) {
                    open(AlertType.DANGER, position, "crossed " + f.name() + " between fixes");
                }
            }
        }

        private boolean isClearlyOutsideNow(int f) {
            for (int k = 0; k < near.size; k++) {
                if (near.positions[k] == f) {
                    return decision(f, near.depths[k]) == Decision.LEFT;
                }
            }
            return true;
        }

        private boolean isClearlyOutsideBefore(Fence f) {
            double accuracy = Double.isNaN(s.lastAccuracy) ? 0 : s.lastAccuracy;
            return index.depthMeters(f.id(), s.lastLon, s.lastLat) < -(f.hysteresisMeters() + accuracy);
        }

        /** Opens the alert unless it is open, or its type does not apply to the ward's category. */
        private void open(AlertType type, int f, String detail) {
            if (!SubjectCategory.applies(type, fix.subjectKind(), fix.category())) {
                return;
            }
            long id = index.idAt(f);
            if (s.open.putIfAbsent(type, id, fix.time()) == null) {
                out.add(transition(Transition.Kind.OPEN, type, fix, id, null, detail));
            }
        }

        private boolean isAccompanied() {
            if (accompanied == null) {
                accompanied = findCompanion();
            }
            return accompanied;
        }

        private boolean findCompanion() {
            for (Long g : guardianIds) {
                if (fix.companions().contains(g)) {
                    return true;
                }
            }
            for (Long g : guardianIds) {
                Fix gf = guardians.closestFix(g, fix.time()).orElse(null);
                if (gf != null
                        && Duration.between(gf.time(), fix.time()).abs().compareTo(config.companionTime()) <= 0
                        && Geodesy.distanceMeters(gf.lon(), gf.lat(), fix.lon(), fix.lat())
                                <= config.companionMeters()) {
                    return true;
                }
            }
            return false;
        }
    }
}
