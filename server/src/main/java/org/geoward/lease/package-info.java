/**
 * Work that runs once per cluster, not once per node: the scheduled jobs (accept timeouts, the visitors' phone
 * eraser, retention) ask {@link org.geoward.lease.ClusterLease} for their lease before each round. A single node
 * holds every lease; in cluster mode ({@code geoward.kafka.bootstrap} set) the nodes share {@code cluster_lease}.
 */
package org.geoward.lease;
