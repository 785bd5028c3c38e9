/**
 * Decodes what GPS trackers and phone apps send (OsmAnd, OwnTracks, GT06) into {@link
 * org.geoward.sighting.Sighting}s and hands them to {@link org.geoward.device.DeviceIngest}. One subpackage per
 * protocol ({@code gt06}, {@code osmand}, {@code owntracks}); this package holds what they share: the field
 * checks, the device HTTP listener, the {@link org.geoward.device.PositionSink} and the listeners' start-up.
 *
 * <p>Protocol knowledge follows Traccar (https://github.com/traccar/traccar, Apache-2.0), whose
 * decoders and test payloads are the reference for field meanings and acknowledgement bytes.
 */
package org.geoward.device;
