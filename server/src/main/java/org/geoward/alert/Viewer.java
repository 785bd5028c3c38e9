package org.geoward.alert;

import io.micronaut.security.authentication.Authentication;

/**
 * Who is looking: a FAMILY user sees only the alerts of the wards linked to their account ({@code user_ward});
 * everyone else sees all.
 */
record Viewer(String username, boolean isFamily) {

    static Viewer of(Authentication authentication) {
        return new Viewer(authentication.getName(), authentication.getRoles().contains("FAMILY"));
    }

    /** The SQL condition on {@code a.subject_id} (one parameter, the username), or null when unrestricted. */
    String condition() {
        return isFamily
                ? "a.subject_id IN (SELECT uw.ward_id FROM user_ward uw JOIN app_user u ON u.id = uw.user_id"
                        + " WHERE u.username = ?)"
                : null;
    }
}
