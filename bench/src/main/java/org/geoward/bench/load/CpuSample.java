package org.geoward.bench.load;

import java.nio.file.Path;

/**
 * CPU ticks used so far by the server JVM, by PostgreSQL, by this generator and by the whole machine; -1 for what
 * cannot be read. Two samples, before and after the timed phase, give each one's share of the work.
 */
record CpuSample(long jvm, long postgres, long generator, long machineBusy, long machineTotal) {

    /**
     * @param serverPid the server JVM, or 0
     * @param pgData the cluster's data directory, or null to count every process named postgres
     */
    static CpuSample take(long serverPid, Path pgData) {
        long jvm = serverPid > 0 ? ProcCpu.processTicks(serverPid) : -1;
        long postgres;
        if (pgData != null) {
            long postmaster = ProcCpu.postmasterPid(pgData);
            postgres = postmaster > 0 ? ProcCpu.clusterTicks(postmaster) : -1;
        } else {
            postgres = ProcCpu.allPostgresTicks();
        }
        long[] machine = ProcCpu.machineTicks();
        return new CpuSample(
                jvm, postgres, ProcCpu.processTicks(ProcessHandle.current().pid()), machine[0], machine[1]);
    }

    /** Microseconds of CPU per fix between {@code before} and this sample, for one of the fields; NaN if unknown. */
    static double microsPerFix(long before, long after, long fixes) {
        if (before < 0 || after < 0 || fixes <= 0) {
            return Double.NaN;
        }
        return (after - before) * 1e6 / ProcCpu.TICKS_PER_SECOND / fixes;
    }

    /**
     * The share of the machine's CPU (all cores) that neither the server JVM, nor PostgreSQL, nor this generator
     * used: other people's work on a shared machine. NaN when one of them could not be read.
     */
    static double othersPercent(CpuSample before, CpuSample after) {
        long total = after.machineTotal() - before.machineTotal();
        if (total <= 0 || before.jvm() < 0 || before.postgres() < 0) {
            return Double.NaN;
        }
        long ours = (after.jvm() - before.jvm())
                + (after.postgres() - before.postgres())
                + (after.generator() - before.generator());
        return Math.max(0, 100.0 * (after.machineBusy() - before.machineBusy() - ours) / total);
    }
}
