/**
 * OsmAnd / Traccar Client HTTP protocol: the query-string form and the JSON form, decoded into {@link
 * org.geoward.sighting.Sighting}s. The listener itself is the generic {@link org.geoward.device.DeviceHttpServer}.
 */
package org.geoward.device.osmand;
