package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Booking.com reservation reads used by reconciliation, beside {@link ChannelProperties.BookingCom}.
 *
 * @param missedReservationsPath path under the Booking.com base URL of the missed-reservations
 *                               endpoint ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_MISSED_RESERVATIONS_PATH});
 *                               empty: not read
 */
@ConfigurationProperties("channel-sync.channels.booking-com")
public record BookingComReservationProperties(String missedReservationsPath) {

    public boolean missedReservationsEnabled() {
        return missedReservationsPath != null && !missedReservationsPath.isBlank();
    }
}
