package org.geoward.subject;

/**
 * A registered device and the subject it reports for.
 *
 * @param protocol JSON, OSMAND, OWNTRACKS or GT06
 * @param tokenHash bcrypt of the device's token for HTTP protocols, or null when it has none
 */
public record DeviceBinding(long id, String uniqueId, String protocol, long subjectId, String tokenHash) {}
