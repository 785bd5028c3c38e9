/**
 * Decodes what GPS trackers and phone apps send (OsmAnd, OwnTracks, GT06) into {@link
 * org.geoward.sighting.Sighting}s, and runs the GT06 TCP listener that feeds them to a {@link
 * org.geoward.device.PositionSink}.
 *
 * <p>Protocol knowledge follows Traccar (https://github.com/traccar/traccar, Apache-2.0), whose
 * decoders and test payloads are the reference for field meanings and acknowledgement bytes.
 */
package org.geoward.device;
