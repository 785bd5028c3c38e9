/**
 * The evaluation's database side: the partitions that evaluate committed fixes with their states in memory
 * ({@link org.geoward.partition.PartitionedEvaluation}), their checkpoints in {@code subject_state} and
 * {@code evaluator_checkpoint}, the replay of the log after a checkpoint, the adoption of Kafka partitions in cluster
 * mode, and the OFFLINE check. The decisions themselves are {@code org.geoward.evaluate}'s, which knows no database.
 */
package org.geoward.partition;
