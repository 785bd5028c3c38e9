package org.geoward.bench.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A server the load is pointed at, reached only through its public REST API (and optionally its database). */
interface Target {

    /**
     * What the target holds of the bench devices' fixes.
     *
     * @param perDevice stored fixes of each device, in the order of the devices counted
     * @param how how they were counted (jdbc or rest)
     * @param details other checks, printed as name=value (e.g. subjects whose evaluation lags their last fix)
     */
    record Stored(long[] perDevice, String how, Map<String, String> details) {
        long total() {
            long n = 0;
            for (long v : perDevice) {
                n += v;
            }
            return n;
        }
    }

    /** Logs in as the admin; throws when that fails. */
    void logIn(String user, String password);

    /** Creates one device per walker (with whatever it reports for) and the ring's fences; returns the devices. */
    List<BenchDevice> setUp(Ring ring, int devices, String runId);

    /** Counts the stored fixes of {@code devices} with event times in [from, to). */
    Stored count(List<BenchDevice> devices, Instant from, Instant to);

    /** Removes what {@link #setUp} made, as far as the API allows. */
    void cleanUp(List<BenchDevice> devices);
}
