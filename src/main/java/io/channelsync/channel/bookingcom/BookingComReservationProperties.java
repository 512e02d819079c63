package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelProperties;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Booking.com reservations (the poll of its reservation queue, acknowledgements, reconciliation reads),
 * beside {@link ChannelProperties.BookingCom} (availability host, token URL and machine account).
 *
 * @param reservationsBaseUrl      the reservations host ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_RESERVATIONS_BASE_URL},
 *                                 default {@code https://secure-supply-xml.booking.com}); no trailing slash
 * @param pollInterval             time between two polls of the cluster ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_INTERVAL}, 20s)
 * @param pollCheckInterval        how often every instance checks whether the cluster's poll is due
 *                                 ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_CHECK_INTERVAL}; default, in application.yaml,
 *                                 the heartbeat interval: a dead poller's poll moves within it of the due time)
 * @param pollAutoStartup          whether the poll timer starts with the service
 *                                 ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_AUTO_STARTUP}; false in tests)
 * @param ackPause                 the wait after an acknowledgement before the next GET of that endpoint (5s, as the docs ask)
 * @param ackRetries               how often a failed acknowledgement (5xx, timeout) is retried within one poll
 * @param ackRetryDelay            the first retry delay; each next one doubles
 * @param unacknowledgedAlertAfter a reservation still not acknowledged this long after it was first polled raises an
 *                                 alert (25m: Booking.com falls back to e-mail after about 30 minutes)
 * @param target                   the {@code Target} of our acknowledgements ({@code Production} or {@code Test})
 * @param tokenExchangesPerHour    at most this many token exchanges in any rolling hour (Booking.com allows 30)
 * @param missedReservationsPath   path under the reservations host of the missed-reservations endpoint
 *                                 ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_MISSED_RESERVATIONS_PATH}); empty: not read
 * @param storeThreads             how many messages of one GET are stored at once
 *                                 ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_STORE_THREADS}, 8); one reservation's messages
 *                                 always one after another, in the order Booking.com sent them
 */
@Validated
@ConfigurationProperties("channel-sync.channels.booking-com")
public record BookingComReservationProperties(
        @DefaultValue("https://secure-supply-xml.booking.com") String reservationsBaseUrl,
        @DefaultValue("20s") Duration pollInterval,
        @DefaultValue("5s") Duration pollCheckInterval,
        @DefaultValue("true") boolean pollAutoStartup,
        @DefaultValue("5s") Duration ackPause,
        @DefaultValue("3") int ackRetries,
        @DefaultValue("1s") Duration ackRetryDelay,
        @DefaultValue("25m") Duration unacknowledgedAlertAfter,
        @DefaultValue("Production") String target,
        @DefaultValue("30") int tokenExchangesPerHour,
        String missedReservationsPath,
        @DefaultValue("8") @Min(1) int storeThreads) {

    public BookingComReservationProperties {
        reservationsBaseUrl = reservationsBaseUrl == null ? "" : reservationsBaseUrl.replaceAll("/+$", "");
    }

    public boolean missedReservationsEnabled() {
        return missedReservationsPath != null && !missedReservationsPath.isBlank();
    }
}
