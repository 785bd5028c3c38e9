/**
 * Watching Geoward run: Prometheus metrics at {@code /metrics} (ADMIN token or the scrape token), and the liveness
 * and readiness probes at {@code /live} and {@code /ready} that a load balancer or systemd watchdog asks ({@code /ready}
 * asks every {@link org.geoward.readiness.ReadinessCheck}). It depends on what it measures; no package depends on it.
 */
package org.geoward.monitor;
