package org.geoward.sighting;

import java.time.Instant;
import org.geoward.evaluate.SubjectKind;

/**
 * Published after a subject's new fixes have been evaluated and committed, with the newest of them. Features that
 * follow people (dispatch's arrival detection) listen for it instead of being called by ingest.
 */
public record SubjectMoved(long subjectId, SubjectKind kind, double lon, double lat, Instant time) {}
