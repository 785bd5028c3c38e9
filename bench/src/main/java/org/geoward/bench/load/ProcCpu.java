package org.geoward.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads CPU time from Linux's /proc: of one process (user + system, all its threads), of a PostgreSQL cluster (the
 * postmaster with the children it reaped, plus its live children), and of the whole machine. Times are in clock ticks
 * ({@link #TICKS_PER_SECOND}); samples are compared by subtraction. Stateless.
 */
final class ProcCpu {
    /** USER_HZ: the unit of /proc's CPU times. 100 on every Linux architecture Java runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {}

    /** What one process's /proc/PID/stat says, or null when it is gone. */
    record Stat(long pid, String name, long parent, long ownTicks, long reapedChildrenTicks) {}

    static Stat stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            String[] f = text.substring(close + 2).trim().split(" ");
            // after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return new Stat(
                    pid,
                    text.substring(open + 1, close),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14]));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** CPU ticks of process {@code pid} (all threads), or -1 when there is no such process. */
    static long processTicks(long pid) {
        Stat s = stat(pid);
        return s == null ? -1 : s.ownTicks();
    }

    /**
     * CPU ticks of the cluster whose postmaster is {@code postmaster}: its own, those of the children it has reaped,
     * and those of its live children. A backend that ends between two samples moves from the last term to the second,
     * so the difference of two samples stays right.
     */
    static long clusterTicks(long postmaster) {
        Stat master = stat(postmaster);
        if (master == null) {
            return -1;
        }
        long ticks = master.ownTicks() + master.reapedChildrenTicks();
        for (Stat s : all()) {
            if (s.parent() == postmaster) {
                ticks += s.ownTicks();
            }
        }
        return ticks;
    }

    /** CPU ticks of every process named postgres (all clusters on the machine, whosever they are). */
    static long allPostgresTicks() {
        long ticks = 0;
        for (Stat s : all()) {
            if (s.name().equals("postgres")) {
                ticks += s.ownTicks();
            }
        }
        return ticks;
    }

    /** The postmaster's pid from the first line of {@code dataDir/postmaster.pid}, or -1. */
    static long postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's busy and total ticks summed over its CPUs, from the first line of /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
            }
            return new long[] {busy, busy + idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    private static List<Stat> all() {
        List<Stat> stats = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        Stat s = stat(Long.parseLong(n));
                        if (s != null) {
                            stats.add(s);
                        }
                    });
        } catch (IOException e) {
            return stats;
        }
        return stats;
    }
}
