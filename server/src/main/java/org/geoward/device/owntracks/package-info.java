/**
 * OwnTracks JSON messages (location, transition, waypoint), over HTTP ({@code /owntracks}) and over MQTT
 * ({@code owntracks/+/+} on a broker), decoded into {@link org.geoward.sighting.Sighting}s.
 */
package org.geoward.device.owntracks;
