package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;
import org.geoward.json.JsonFields;
import org.geoward.problem.ProblemException;

/**
 * A subject as a request describes it, checked field by field. {@link #read} lays a request's members over a base
 * (empty for a new subject, the stored one for an update): a member that is present replaces, an absent one keeps.
 */
record SubjectDraft(
        SubjectKind kind,
        String name,
        String phone,
        Set<Long> guardians,
        Integer offlineMinutes,
        String unit,
        OfficerStatus status,
        TravelMode travelMode,
        SubjectCategory category) {

    static final SubjectDraft EMPTY = new SubjectDraft(null, null, null, Set.of(), null, null, null, null, null);

    /** Reads {@code body} over {@code base} and checks the result; throws a 400 naming the field at fault. */
    static SubjectDraft read(JsonNode body, SubjectDraft base) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object describing a subject");
        }
        SubjectKind kind = base.kind();
        if (base.kind() == null) {
            kind = JsonFields.requiredEnum(body, "kind", "kind", SubjectKind.class);
        } else if (JsonFields.isPresent(body, "kind")
                && JsonFields.optionalEnum(body, "kind", "kind", SubjectKind.class) != base.kind()) {
            throw ProblemException.badRequest("kind", "kind cannot change; register a new subject instead");
        }
        String name =
                has(body, "name") || base.name() == null ? JsonFields.requiredName(body, "name", "name") : base.name();
        String phone = has(body, "phone")
                ? PhoneNumbers.normalize(JsonFields.optionalText(body, "phone", "phone"), "phone")
                : base.phone();
        Set<Long> guardians = base.guardians();
        if (has(body, "guardians")) {
            Set<Long> given = JsonFields.optionalIds(body, "guardians", "guardians");
            guardians = given == null ? Set.of() : given;
        }
        Integer offline = has(body, "offlineMinutes")
                ? JsonFields.optionalPositiveInt(body, "offlineMinutes", "offlineMinutes")
                : base.offlineMinutes();
        String unit = has(body, "unit") ? Unit.checked(JsonFields.optionalText(body, "unit", "unit")) : base.unit();
        OfficerStatus status = has(body, "status")
                ? JsonFields.optionalEnum(body, "status", "status", OfficerStatus.class)
                : base.status();
        TravelMode travel = has(body, "travelMode")
                ? JsonFields.optionalEnum(body, "travelMode", "travelMode", TravelMode.class)
                : base.travelMode();
        SubjectCategory category = has(body, "category")
                ? JsonFields.optionalEnum(body, "category", "category", SubjectCategory.class)
                : base.category();
        return new SubjectDraft(kind, name, phone, guardians, offline, unit, status, travel, category).checked();
    }

    private static boolean has(JsonNode body, String name) {
        return body.get(name) != null;
    }

    /** Checks the rules between fields: guardians only for wards, unit and status only for officers. */
    private SubjectDraft checked() {
        if (!guardians.isEmpty() && kind != SubjectKind.WARD) {
            throw ProblemException.badRequest(
                    "guardians", "Only a WARD has guardians; a " + kind + " cannot have any (send [] or leave it out)");
        }
        if (category != null && kind != SubjectKind.WARD) {
            throw ProblemException.badRequest(
                    "category", "category (a key population) applies only to a WARD, not to a " + kind);
        }
        if (kind != SubjectKind.OFFICER) {
            if (unit != null || status != null || travelMode != null) {
                String field = unit != null ? "unit" : status != null ? "status" : "travelMode";
                throw ProblemException.badRequest(field, field + " applies only to an OFFICER, not to a " + kind);
            }
            return this;
        }
        if (unit == null) {
            throw ProblemException.badRequest(
                    "unit", "An OFFICER needs a unit, e.g. " + Unit.POLICE + " or " + Unit.FISHERIES);
        }
        return status == null
                ? new SubjectDraft(
                        kind,
                        name,
                        phone,
                        guardians,
                        offlineMinutes,
                        unit,
                        OfficerStatus.AVAILABLE,
                        travelMode,
                        category)
                : this;
    }
}
