package org.geoward.device;

/**
 * What an HTTP endpoint answers a device after a report was taken, so that the app stops resending it.
 *
 * @param status HTTP status code
 * @param contentType value of the Content-Type header
 * @param body response body, possibly empty
 * @param retryAfterSeconds for a 503, when to send again ({@code Retry-After}); null otherwise
 */
public record HttpReply(int status, String contentType, String body, Integer retryAfterSeconds) {
    public HttpReply(int status, String contentType, String body) {
        this(status, contentType, body, null);
    }

    /** A 503 that tells the device to send again after {@code seconds}. */
    static HttpReply busy(String body, int seconds) {
        return new HttpReply(503, "text/plain; charset=utf-8", body, seconds);
    }
}
