/**
 * What a node needs before it takes traffic: a feature that depends on another service (the database, the evaluation's
 * replay, a broker in cluster mode) implements {@link org.geoward.readiness.ReadinessCheck}, and {@code GET /ready}
 * (in {@code org.geoward.monitor}) asks every one. Here, below the features, so that any of them may add a check
 * while monitor, which measures them, depends on them one way.
 */
package org.geoward.readiness;
