package io.channelsync.mapping;

import io.channelsync.api.ApiException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a mapping's channel ids can be right for its platform; a wrong id would push a
 * calendar to someone else's listing. Each refusal is a 422 naming the field and the rule:
 * <ul>
 * <li>{@code platform}: {@code unknown_platform} unless {@code airbnb} or {@code booking_com}.</li>
 * <li>Airbnb {@code listing_id}: {@code digits_only}, {@code no_leading_zero}, {@code too_long}
 *     (1 to 19 digits; kept as text, recent ids have 19); {@code room_id}: {@code not_allowed}.</li>
 * <li>Booking.com {@code listing_id} (the hotel id, {@code HotelCode}): the same three rules;
 *     {@code room_id} ({@code InvTypeCode}): {@code required}, {@code digits_only}, {@code too_long}
 *     (at most 30 digits). A room id that does not start with the hotel id is accepted with a
 *     warning ({@code room_id_prefix}).</li>
 * </ul>
 */
@Component
public class ListingIdValidator {

    public static final Set<String> PLATFORMS = Set.of("airbnb", "booking_com");
    static final int MAX_LISTING_DIGITS = 19;
    static final int MAX_ROOM_DIGITS = 30;

    /** Something accepted that deserves a second look. */
    public record Warning(String field, String rule, String message) {
    }

    /**
     * @return the warnings of an accepted mapping (empty when nothing is odd)
     * @throws ApiException 422 for the first rule the request breaks
     */
    public List<Warning> check(MappingRequest request) {
        String platform = request.platform();
        if (!PLATFORMS.contains(platform)) {
            throw ApiException.invalidField("platform", "unknown_platform",
                    "platform must be one of airbnb, booking_com; got '" + platform + "'");
        }
        String what = platform.equals("airbnb") ? "Airbnb listing id" : "Booking.com hotel id (HotelCode)";
        channelId("listing_id", what, request.listingId(), MAX_LISTING_DIGITS, false);
        List<Warning> warnings = new ArrayList<>();
        if (platform.equals("airbnb")) {
            if (request.roomId() != null) {
                throw ApiException.invalidField("room_id", "not_allowed", "room_id is for Booking.com mappings only; leave it out for Airbnb");
            }
        } else {
            if (request.roomId() == null || request.roomId().isEmpty()) {
                throw ApiException.invalidField("room_id", "required", "room_id (the Booking.com room id, InvTypeCode) is required for booking_com");
            }
            channelId("room_id", "Booking.com room id (InvTypeCode)", request.roomId(), MAX_ROOM_DIGITS, true);
            if (!request.roomId().startsWith(request.listingId())) {
                warnings.add(new Warning("room_id", "room_id_prefix", "room id " + request.roomId()
                        + " does not start with hotel id " + request.listingId() + "; check it is a room of that hotel"));
            }
        }
        return warnings;
    }

    private static void channelId(String field, String what, String value, int maxDigits, boolean leadingZeroAllowed) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
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
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
