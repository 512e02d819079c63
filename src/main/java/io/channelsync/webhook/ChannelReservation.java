package io.channelsync.webhook;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A reservation as a channel reports it, in PMS terms.
 *
 * @param listingId Airbnb listing id, or Booking.com hotel id
 * @param roomId    Booking.com room id; null for Airbnb
 * @param status    pending, confirmed or cancelled
 * @param eventTime when the channel says this version was made; an older version never overwrites a newer one
 */
public record ChannelReservation(String platform, String reservationCode, String listingId, String roomId,
                                 LocalDate checkIn, LocalDate checkOut, String status, String guestName,
                                 Integer guests, BigDecimal total, String currency, Instant eventTime) {

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
