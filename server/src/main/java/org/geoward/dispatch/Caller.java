package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import org.geoward.problem.ProblemException;
import org.geoward.security.Role;

/**
 * Who makes a dispatch request: the username for the timeline, and for an officer the subject they are (the
 * {@code subjectId} claim set at login).
 */
record Caller(String username, boolean isDispatcher, @Nullable Long subjectId) {

    /** The actor recorded on the timeline for steps nobody asked for. */
    static final String SYSTEM = "system";

    static Caller of(Authentication authentication) {
        boolean dispatcher = authentication.getRoles().contains(Role.ADMIN.name())
                || authentication.getRoles().contains(Role.DISPATCHER.name());
        Object subject = authentication.getAttributes().get("subjectId");
        Long subjectId = subject instanceof Number n ? Long.valueOf(n.longValue()) : null;
        if (subject instanceof String s && !s.isBlank()) {
            subjectId = Long.valueOf(s);
        }
        return new Caller(authentication.getName(), dispatcher, subjectId);
    }

    /** Whether this caller is the officer {@code officerId}. */
    boolean isOfficer(@Nullable Long officerId) {
        return officerId != null && officerId.equals(subjectId);
    }

    /** Refuses with 403 unless this caller is a dispatcher or the officer {@code officerId}. */
    void requireDispatcherOr(@Nullable Long officerId, String what) {
        if (!isDispatcher && !isOfficer(officerId)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Only a dispatcher or officer " + officerId + " " + what);
        }
    }
}
