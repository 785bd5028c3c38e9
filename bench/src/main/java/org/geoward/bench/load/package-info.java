/**
 * An OsmAnd load generator that sets up wards, devices and fences through a target's own REST API (Geoward or
 * Traccar), sends one fix per request over keep-alive connections, and reports acked fixes per second, latency,
 * whether every acked fix was stored, and the server's CPU per fix. Entry point: {@link
 * org.geoward.bench.load.OsmAndLoad}.
 */
package org.geoward.bench.load;
