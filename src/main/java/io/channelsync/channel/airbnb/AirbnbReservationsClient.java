package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ReservationPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the reservations Airbnb holds, for reconciliation (docs/channels.md names the evidence).
 * Airbnb lists reservations per host, not per listing, so a listing's reservations are its host's
 * list filtered to the listing and to stays overlapping the window:
 * <pre>
 * GET {base-url}/v2/reservations?host_id={host}&amp;_limit=50[&amp;_cursor={paging.next_cursor}]
 * X-Airbnb-API-Key, X-Airbnb-OAuth-Token: the host's (from the listing's channel connection)
 * 200 {"reservations": [{"confirmation_code", "listing_id", "start_date", "end_date", "number_of_guests",
 *       "status_type", "expected_payout_amount_accurate", "host_currency", "guest_first_name", "guest_last_name"}],
 *      "paging": {"next_cursor": "..." | null}}
 * </pre>
 * No status filter is sent, so cancelled reservations come too. The next page is asked with
 * {@code _cursor=next_cursor} until it is null or absent (a cursor seen twice ends the read with an
 * error rather than loop). {@code status_type} is mapped by {@link AirbnbStatus}; an unknown one is
 * kept as pending and logged, never thrown.
 * <p>
 * Cost: each mapping of a host reads the host's whole list once per run. Reading per connection
 * (once per host) belongs to the channel contract being introduced (see docs/channels.md).
 */
@Component
public class AirbnbReservationsClient implements ReservationPages {

    private static final Logger log = LoggerFactory.getLogger(AirbnbReservationsClient.class);
    static final int PAGE_SIZE = 50;
    private static final int MAX_PAGES = 10_000;

    private final AirbnbApi api;
    private final ObjectMapper json;
    private final ChannelHttp http;

    public AirbnbReservationsClient(AirbnbApi api, ObjectMapper json, ChannelHttp http) {
        this.api = api;
        this.json = json;
        this.http = http;
    }

    @Override
    public String platform() {
        return AirbnbConnector.PLATFORM;
    }

    @Override
    public void forEachPage(String listingId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException {
        AirbnbApi.Host host = api.hostOfListing(listingId);
        if (host.hostId() == null) {
            throw new IOException("airbnb: the connection of listing " + listingId + " names no host id");
        }
        String cursor = null;
        Set<String> cursors = new HashSet<>();
        for (int pages = 1; ; pages++) {
            if (pages > MAX_PAGES) {
                throw new IOException("airbnb: more than " + MAX_PAGES + " reservation pages for host " + host.hostId() + "; giving up");
            }
            String query = "/v2/reservations?host_id=" + AirbnbApi.enc(host.hostId()) + "&_limit=" + PAGE_SIZE
                    + (cursor == null ? "" : "&_cursor=" + AirbnbApi.enc(cursor));
            JsonNode body;
            try (InputStream in = http.call(AirbnbConnector.PLATFORM, "reservations of host " + host.hostId(),
                    api.request(query, host.token()).GET(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                body = json.readTree(in);
            }
            List<ChannelReservation> ofListing = new ArrayList<>();
            for (JsonNode r : body.path("reservations")) {
                if (listingId.equals(r.path("listing_id").asText(null))) {
                    ChannelReservation reservation = reservation(r, listingId);
                    if (reservation.checkOut().isAfter(from) && !reservation.checkIn().isAfter(to)) {
                        ofListing.add(reservation);
                    }
                }
            }
            page.accept(ofListing);
            JsonNode next = body.path("paging").path("next_cursor");
            cursor = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
            if (cursor == null) {
                return;
            }
            if (!cursors.add(cursor)) {
                throw new IOException("airbnb: reservations of host " + host.hostId() + " answered cursor '" + cursor + "' twice");
            }
        }
    }

    private ChannelReservation reservation(JsonNode r, String listingId) throws IOException {
        String code = r.path("confirmation_code").asText(null);
        if (code == null || code.isBlank()) {
            throw new IOException("airbnb: a reservation of listing " + listingId + " has no confirmation_code");
        }
        String statusType = r.path("status_type").asText("");
        String first = r.path("guest_first_name").asText("");
        String last = r.path("guest_last_name").asText("");
        try {
            return new ChannelReservation(AirbnbConnector.PLATFORM, code, listingId, null,
                    LocalDate.parse(r.path("start_date").asText()), LocalDate.parse(r.path("end_date").asText()),
                    AirbnbStatus.toPms(statusType, code), (first + " " + last).trim(),
                    r.hasNonNull("number_of_guests") ? r.get("number_of_guests").asInt() : null,
                    r.hasNonNull("expected_payout_amount_accurate") ? new BigDecimal(r.get("expected_payout_amount_accurate").asText()) : null,
                    r.hasNonNull("host_currency") ? r.get("host_currency").asText() : null,
                    null);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            log.warn("Airbnb reservation {} of listing {} is unreadable: {}", code, listingId, e.getMessage());
            throw new IOException("airbnb: reservation " + code + " is unreadable: " + e.getMessage(), e);
        }
    }
}
