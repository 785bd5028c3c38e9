package org.geoward.subject;

import java.util.regex.Pattern;
import org.geoward.problem.ProblemException;

/**
 * The one phone-number rule: a mainland China mobile number (11 digits, {@code 1[3-9]xxxxxxxxx}) or an international
 * number in E.164 form ({@code +} and up to 15 digits), spaces and dashes between digits dropped; and the masked form
 * for people who need not see the number. Stateless.
 */
public final class PhoneNumbers {
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

    private PhoneNumbers() {}

    /** Returns the number without separators, or throws a 400 naming {@code field}; null stays null. */
    public static String normalize(String phone, String field) {
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

    /**
     * The number with all but its first three and last four digits hidden: {@code 13812340000} → {@code
     * 138****0000}, {@code +8613812340000} → {@code +86138****0000}. Short or odd strings become {@code ****}.
     */
    public static String mask(String phone) {
        if (phone == null) {
            return null;
        }
        String compact = phone.replaceAll("[\\s-]", "");
        String prefix = compact.startsWith("+86") && compact.length() == 14 ? "+86" : "";
        String digits = compact.substring(prefix.length());
        if (digits.length() < 8) {
            return "****";
        }
        return prefix + digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
    }
}
