package org.geoward.alert;

import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Map;
import org.geoward.account.Visibility;
import org.geoward.evaluate.AlertType;

/**
 * Who is looking, and so which alerts they may see: a FAMILY user only the alerts of the wards linked to their
 * account ({@code user_ward}); an OFFICER the alerts of the types their unit answers (LOITER → FISHERIES, the rest →
 * POLICE, as {@link org.geoward.subject.AlertUnits} says) and whatever is assigned to them; everyone else all.
 *
 * @param subjectId the officer's own subject (the token's {@code subjectId} claim), or null
 * @param unitsByType for an officer, the unit each alert type calls for; empty otherwise
 */
record Viewer(
        String username,
        boolean isFamily,
        boolean isOfficer,
        boolean seesNone,
        Long subjectId,
        Map<AlertType, String> unitsByType) {

    static Viewer of(Authentication authentication, Map<AlertType, String> unitsByType) {
        var roles = authentication.getRoles();
        boolean seesAll = roles.contains("ADMIN") || roles.contains("DISPATCHER");
        Object subject = authentication.getAttributes().get("subjectId");
        Long subjectId = subject == null ? null : Long.valueOf(subject.toString());
        return new Viewer(
                authentication.getName(),
                !seesAll && roles.contains("FAMILY"),
                !seesAll && roles.contains("OFFICER"),
                // an AUDITOR reads the audit trail, not the alerts it records
                !seesAll && !roles.contains("FAMILY") && !roles.contains("OFFICER"),
                subjectId,
                unitsByType);
    }

    /** A condition on alert {@code a} and its parameters, or null when the viewer sees everything. */
    Visibility.Condition restriction() {
        if (seesNone) {
            return new Visibility.Condition("FALSE", List.of());
        }
        if (isFamily) {
            return new Visibility.Condition(
                    "a.subject_id IN (SELECT uw.ward_id FROM user_ward uw JOIN app_user u ON u.id = uw.user_id"
                            + " WHERE u.username = ?)",
                    List.of(username));
        }
        if (isOfficer) {
            if (subjectId == null) {
                // an officer account not linked to an officer subject has no unit and no assignments
                return new Visibility.Condition("FALSE", List.of());
            }
            return Visibility.officerAlerts(subjectId, unitsByType);
        }
        return null;
    }
}
