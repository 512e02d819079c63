package io.channelsync.channel;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A reservation as a channel holds it, normalised to the PMS's vocabulary.
 *
 * @param code      the channel's reservation code (Airbnb confirmation code, Booking.com reservation id)
 * @param listingId the channel listing (Airbnb listing, Booking.com hotel)
 * @param roomId    the Booking.com room type; null for Airbnb
 * @param status    {@code confirmed}, {@code pending} or {@code cancelled} (as in {@code bookings.status})
 * @param guests    number of guests, null when the channel does not say
 * @param amount    the amount the channel states, null when it does not say
 * @param currency  ISO currency of the amount
 */
public record ChannelReservation(String code, String listingId, String roomId, LocalDate checkIn, LocalDate checkOut,
                                 String status, Integer guests, BigDecimal amount, String currency, String guestName) {

    public boolean active() {
        return !"cancelled".equals(status);
    }
}
