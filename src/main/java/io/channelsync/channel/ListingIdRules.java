package io.channelsync.channel;

import io.channelsync.api.ApiException;

import java.util.List;

/**
 * Whether a mapping's channel ids can be right for one channel: a wrong id would push a calendar to
 * someone else's listing. Each refusal is a 422 naming the field and the rule.
 */
@FunctionalInterface
public interface ListingIdRules {

    /** Something accepted that deserves a second look. */
    record Warning(String field, String rule, String message) {
    }

    /**
     * @param roomId null when the request has none
     * @return the warnings of an accepted mapping (empty when nothing is odd)
     * @throws ApiException 422 ({@link ApiException#invalidField}) for the first rule the ids break
     */
    List<Warning> check(String listingId, String roomId);

    /**
     * The rules most channels' numeric ids share: {@code digits_only}, {@code no_leading_zero}
     * (unless allowed) and {@code too_long}.
     *
     * @param what how the message names the id, e.g. "Airbnb listing id"
     */
    static void digits(String field, String what, String value, int maxDigits, boolean leadingZeroAllowed) {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.invalidField(field, "digits_only", what + " must be digits only (0-9); got '" + shorten(value) + "'");
        }
        if (!leadingZeroAllowed && value.charAt(0) == '0') {
            throw ApiException.invalidField(field, "no_leading_zero", what + " must not start with 0");
        }
        if (value.length() > maxDigits) {
            throw ApiException.invalidField(field, "too_long", what + " has at most " + maxDigits + " digits; got " + value.length());
        }
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
