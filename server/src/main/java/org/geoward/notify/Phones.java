package org.geoward.notify;

import java.util.regex.Pattern;

/**
 * Phone numbers: a mainland China mobile number ({@code 1[3-9]} and 9 more digits) or E.164 ({@code +} and up to 15
 * digits), and their masked form for people who need not see them. Stateless.
 */
public final class Phones {
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

    private Phones() {}

    /** Whether {@code phone} (spaces and dashes ignored) is a mainland mobile or an E.164 number. */
    public static boolean isValid(String phone) {
        if (phone == null) {
            return false;
        }
        String compact = phone.replaceAll("[\\s-]", "");
        return MAINLAND_MOBILE.matcher(compact).matches()
                || E164.matcher(compact).matches();
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
