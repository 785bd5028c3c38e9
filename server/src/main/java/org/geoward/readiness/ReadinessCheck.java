package org.geoward.readiness;

import java.util.Optional;

/**
 * One thing Geoward needs before it takes traffic. {@code GET /ready} ({@code monitor/ProbeController}) asks every bean
 * of this type; a feature that depends on another service (the database, the evaluation's replay, a broker in cluster
 * mode) adds one.
 */
public interface ReadinessCheck {

    /** A short name for what is checked, shown in {@code /ready}'s answer ("database", "evaluation", ...). */
    String name();

    /**
     * Checks now; must answer within about a second.
     *
     * @return empty when ready, else why not, in a few words
     */
    Optional<String> waitingFor();
}
