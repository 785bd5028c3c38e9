package org.geoward.subject;

import java.util.regex.Pattern;
import org.geoward.problem.ProblemException;

/**
 * Checks phone numbers: a mainland China mobile number (11 digits, {@code 1[3-9]xxxxxxxxx}) or an international
 * number in E.164 form ({@code +} and up to 15 digits). Spaces and dashes between digits are dropped. Stateless.
 */
final class PhoneNumbers {
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

    private PhoneNumbers() {}

    /** Returns the number without separators, or throws a 400 naming {@code field}; null stays null. */
    static String normalize(String phone, String field) {
        if (phone == null || phone.isEmpty()) {
            return null;
        }
        String compact = phone.replaceAll("[\\s-]", "");
        if (MAINLAND_MOBILE.matcher(compact).matches() || E164.matcher(compact).matches()) {
            return compact;
        }
        throw ProblemException.badRequest(
                field,
                field + " '" + phone + "' is not a phone number: use an 11-digit mainland mobile number (13800000000)"
                        + " or the E.164 form (+8613800000000)");
    }
}
