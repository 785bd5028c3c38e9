package org.geoward.subject;

import java.util.regex.Pattern;
import org.geoward.problem.ProblemException;

/**
 * The service an officer belongs to. POLICE and FISHERIES are the reference city's; a deployment may name others
 * (the dispatch configuration maps alert types to units), so a unit is a name, not a closed list.
 */
public final class Unit {
    /** The units of the reference deployment. */
    public static final String POLICE = "POLICE";

    public static final String FISHERIES = "FISHERIES";

    /** The units a minor's alerts go to unless configured ({@code geoward.notify.recipients.MINOR}). */
    public static final String SCHOOL = "SCHOOL";

    public static final String COMMUNITY = "COMMUNITY";

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");

    private Unit() {}

    /** Tells whether {@code unit} has a unit name's form (see {@link #checked(String)}). */
    public static boolean isName(String unit) {
        return unit != null && NAME.matcher(unit).matches();
    }

    /** Checks a unit name from a request against the configured units ({@code geoward.units}). */
    static String checked(String unit, java.util.Set<String> allowed) {
        if (unit != null && !allowed.contains(unit)) {
            throw ProblemException.badRequest(
                    "unit",
                    "unit '" + unit + "' is not one of this deployment's units " + new java.util.TreeSet<>(allowed)
                            + " (geoward.units and POST /api/units)");
        }
        return checked(unit);
    }

    /** Checks a unit name's form: upper-case letters, digits, '_' or '-', at most 32 characters. */
    static String checked(String unit) {
        return checked(unit, "unit");
    }

    /** Checks a unit name's form, naming {@code field} in the error. */
    static String checked(String unit, String field) {
        if (unit != null && !NAME.matcher(unit).matches()) {
            throw ProblemException.badRequest(
                    field,
                    "unit '" + unit + "' is not a unit name: use upper-case letters, digits, '_' or '-' (e.g. POLICE,"
                            + " FISHERIES)");
        }
        return unit;
    }
}
