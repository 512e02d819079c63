package io.channelsync.channel;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A reservation as a channel reports it, normalised to the PMS's vocabulary: what a webhook or the
 * Booking.com reservation poll delivers (stored by the webhook processing) and what the channels'
 * reservation lists answer (compared by reconciliation).
 *
 * @param platform        {@code airbnb} or {@code booking_com}, as in {@code channel_mappings.platform}
 * @param reservationCode the channel's reservation code (Airbnb confirmation code, Booking.com reservation id)
 * @param listingId       the channel listing (Airbnb listing id, Booking.com hotel id)
 * @param roomId          the Booking.com room id; null for Airbnb
 * @param status          {@code confirmed}, {@code pending} or {@code cancelled} (as in {@code bookings.status})
 * @param guests          number of guests, null when the channel does not say
 * @param total           the amount the channel states, null when it does not say
 * @param currency        ISO currency of the total
 * @param eventTime       when the channel says this version was made (an older version never overwrites a
 *                        newer one); null when the channel does not say (the reservation lists reconciliation reads)
 */
public record ChannelReservation(String platform, String reservationCode, String listingId, String roomId,
                                 LocalDate checkIn, LocalDate checkOut, String status, String guestName,
                                 Integer guests, BigDecimal total, String currency, Instant eventTime) {

    /** Whether it holds its nights: confirmed or pending, not cancelled. */
    public boolean active() {
        return !"cancelled".equals(status);
    }

    /** Why the PMS cannot store it (the checks the bookings table would make), or null. */
    public String problem() {
        if (reservationCode == null || reservationCode.isBlank()) {
            return "reservation without a code";
        }
        if (listingId == null || listingId.isBlank()) {
            return "reservation " + reservationCode + " without a listing";
        }
        if (checkIn == null || checkOut == null || !checkOut.isAfter(checkIn)) {
            return "reservation " + reservationCode + " has no valid stay (check-in " + checkIn + ", check-out " + checkOut + ")";
        }
        if (guests != null && guests <= 0) {
            return "reservation " + reservationCode + " has " + guests + " guests";
        }
        if (currency != null && currency.length() != 3) {
            return "reservation " + reservationCode + " has currency '" + currency + "'";
        }
        if (total != null && total.abs().compareTo(new BigDecimal("9999999999.99")) > 0) {
            return "reservation " + reservationCode + " has an implausible total";
        }
        return null;
    }
}
