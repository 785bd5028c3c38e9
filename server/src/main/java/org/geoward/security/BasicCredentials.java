package org.geoward.security;

import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.geoward.problem.ProblemException;

/**
 * A device's HTTP Basic credentials, {@code uniqueId:token}, as the OwnTracks door and the home sensors' door take
 * them; a missing or malformed header is a 401 that says what is wrong.
 */
public record BasicCredentials(String uniqueId, String token) {
    /**
     * Reads the {@code Authorization} header; {@code missing} is the 401's text when there is no Basic header (it
     * names who must send what).
     */
    public static BasicCredentials parse(String authorization, String missing) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, missing);
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "the Basic credentials are not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "the Basic credentials need 'uniqueId:token'");
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
