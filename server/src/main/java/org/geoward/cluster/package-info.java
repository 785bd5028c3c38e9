/**
 * Cluster mode on Kafka: with {@code geoward.kafka.bootstrap} set, fixes go to a topic keyed by subject, nodes share
 * its partitions as one consumer group, store what they consume in {@code sighting} and evaluate it with the
 * partitioned evaluation, checkpointing each partition's states with its Kafka offset (docs/cluster.md).
 */
package org.geoward.cluster;
