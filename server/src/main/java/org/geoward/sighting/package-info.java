/**
 * Ingest: the one pipeline every source enters ({@link org.geoward.sighting.SightingService}: check, resolve, drop
 * repeats, append, acknowledge), the log ({@link org.geoward.sighting.SightingLog}: group commit into
 * {@code sighting}, each row with its log position), what the log feeds after each commit (the evaluation through
 * {@link org.geoward.sighting.EvaluationInput}, {@link org.geoward.sighting.LatestPositions},
 * {@link org.geoward.sighting.GuardianFixes}), and the track of a subject as GeoJSON.
 */
package org.geoward.sighting;
