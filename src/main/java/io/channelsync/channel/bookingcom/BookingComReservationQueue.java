package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Booking.com's queue of reservation messages on the reservations host
 * ({@code channel-sync.channels.booking-com.reservations-base-url}), per "Retrieving new reservations",
 * "Retrieving modified/cancelled reservations" and the two "Acknowledging ..." pages (docs/channels.md):
 * <ul>
 *   <li>{@code GET /hotels/ota/OTA_HotelResNotif} and {@code GET /hotels/ota/OTA_HotelResModifyNotif}, no query
 *       parameters (the docs ask to use the filters sparingly): every message not yet acknowledged, for every
 *       property of the machine account</li>
 *   <li>{@code POST} to the same path with an {@code OTA_HotelResNotifRS} / {@code OTA_HotelResModifyNotifRS}
 *       ({@link OtaAcknowledgements})</li>
 * </ul>
 * Every call carries {@code Authorization: Bearer <machine-account JWT>} (renewed once after a 401). A non-2xx
 * answer, or an acknowledgement answered with {@code <Errors>}, throws {@link ChannelCallException}.
 */
@Component
public class BookingComReservationQueue {

    private final BookingComReservationProperties properties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;

    public BookingComReservationQueue(BookingComReservationProperties properties, BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
    }

    /** The messages Booking.com holds for us at that endpoint (an OTA_HotelResNotifRQ / OTA_HotelResModifyNotifRQ). */
    public byte[] fetch(OtaReservations.Kind kind) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(kind)).header("Accept", "application/xml").GET();
        return http.callWithBearer(BookingComConnector.PLATFORM, "GET " + kind.endpoint, tokens, request, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /**
     * Acknowledges these messages of one endpoint in one request: success when error is null, otherwise unsuccessfully
     * processed (kept queued).
     */
    public void acknowledge(OtaReservations.Kind kind, List<OtaAcknowledgements.Message> messages, String error) throws IOException {
        String body = OtaAcknowledgements.write(kind, messages, error, properties.target(), Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(kind)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        String what = "acknowledgement of " + messages.size() + " reservation message(s) (" + kind.endpoint + ")";
        HttpResponse<String> response = http.callWithBearer(BookingComConnector.PLATFORM, what, tokens, request, HttpResponse.BodyHandlers.ofString());
        if (response.body() != null && response.body().contains("<Errors")) {
            throw new ChannelCallException(BookingComConnector.PLATFORM, response.statusCode(), what + " refused" + ChannelHttp.snippet(response.body()), null);
        }
    }

    private URI uri(OtaReservations.Kind kind) {
        return URI.create(properties.reservationsBaseUrl() + "/hotels/ota/" + kind.endpoint);
    }
}
