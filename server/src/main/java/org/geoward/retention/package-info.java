/**
 * Retention the server enforces: day partitions of {@code sighting} made ahead and dropped whole when expired, with
 * the evidence of alerts kept, rows of kinds kept shorter deleted, and what each run removed recorded.
 */
package org.geoward.retention;
