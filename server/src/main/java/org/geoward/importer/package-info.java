/**
 * Bulk import of recorded tracks (GPX, CSV) into a subject's sightings, streamed and recorded in batches through the
 * same ingest path as {@code POST /api/sightings}.
 */
package org.geoward.importer;
