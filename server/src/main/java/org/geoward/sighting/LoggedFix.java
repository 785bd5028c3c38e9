package org.geoward.sighting;

import org.geoward.subject.SubjectInfo;

/**
 * A sighting as it stands in the log: its position {@code seq} in {@code sighting} (handed out in commit order),
 * the sighting, and the subject it belongs to as ingest looked it up.
 */
public record LoggedFix(long seq, Sighting sighting, SubjectInfo subject) {}
