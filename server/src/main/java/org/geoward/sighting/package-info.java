/**
 * Ingest: sightings are validated one by one, stored in one batched statement, and handed to the evaluation through
 * {@link org.geoward.sighting.FixConsumer}; also the track of a subject as GeoJSON.
 *
 * <p>The pipeline, in order: {@code SightingController} (JSON → {@link org.geoward.sighting.SightingInput}) →
 * {@link org.geoward.sighting.SightingService#record} (validate, resolve subject / device / camera track, dedupe,
 * store with {@code subject_position}) → {@link org.geoward.sighting.FixConsumer#acceptWithin} (evaluator, alerts,
 * state, in the store's transaction under a savepoint, see {@code org.geoward.alert.EvaluationService}) → one commit
 * → {@code AlertChanged} → SSE.
 */
package org.geoward.sighting;
