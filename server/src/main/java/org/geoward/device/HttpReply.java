package org.geoward.device;

/**
 * What an HTTP endpoint answers a device after a report was taken, so that the app stops resending it.
 *
 * @param status HTTP status code
 * @param contentType value of the Content-Type header
 * @param body response body, possibly empty
 */
public record HttpReply(int status, String contentType, String body) {}
