package io.channelsync.channel.airbnb;

import io.channelsync.channel.ReservationPages;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelCallException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the reservations Airbnb holds for a listing, page by page (used by reconciliation).
 * <p>
 * Request: {@code GET {channel-sync.channels.airbnb.base-url}/v2/reservations?listing_id={listing}&start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&offset={n}&limit={page}}
 * with header {@code X-Airbnb-API-Key: {api-key}} and {@code Accept: application/json}; no other header
 * (nothing of an incoming request is forwarded). The first page has {@code offset=0}.
 * <p>
 * Answer (200): {@code {"reservations": [{"confirmation_code", "listing_id", "start_date", "end_date",
 * "number_of_guests", "status_type" ("accepted"|"pending"|"cancelled"|"denied"),
 * "expected_payout_amount_accurate", "host_currency", "guest_first_name", "guest_last_name"}],
 * "next_offset": 50 | null}}. The next page is asked with {@code offset=next_offset} until it is null
 * or absent. Status mapping: accepted → confirmed, pending → pending, cancelled and denied → cancelled.
 * Any other status is a {@link ChannelCallException}.
 */
@Component
public class AirbnbReservationsClient implements ReservationPages {

    private final ChannelProperties properties;
    private final ObjectMapper json;
    private final ChannelHttp http;

    public AirbnbReservationsClient(ChannelProperties properties, ObjectMapper json, ChannelHttp http) {
        this.properties = properties;
        this.json = json;
        this.http = http;
    }

    @Override
    public String platform() {
        return "airbnb";
    }

    @Override
    public void forEachPage(String listingId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException {
        int limit = 50;
        Integer offset = 0;
        int pages = 0;
        while (offset != null) {
            if (++pages > 10_000) {
                throw new IOException("airbnb: more than 10000 reservation pages for listing " + listingId + "; giving up");
            }
            URI uri = URI.create(properties.airbnb().baseUrl() + "/v2/reservations?listing_id=" + enc(listingId)
                    + "&start_date=" + from + "&end_date=" + to + "&offset=" + offset + "&limit=" + limit);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("X-Airbnb-API-Key", nullToEmpty(properties.airbnb().apiKey()))
                    .header("Accept", "application/json")
                    .GET();
            JsonNode body;
            try (InputStream in = http.call("airbnb", "reservations", request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                body = json.readTree(in);
            }
            List<ChannelReservation> reservations = new ArrayList<>();
            for (JsonNode r : body.path("reservations")) {
                reservations.add(reservation(r, listingId));
            }
            page.accept(reservations);
            JsonNode next = body.path("next_offset");
            offset = next.isNumber() && !reservations.isEmpty() ? next.asInt() : null;
        }
    }

    private ChannelReservation reservation(JsonNode r, String listingId) throws IOException {
        String code = r.path("confirmation_code").asText(null);
        if (code == null || code.isBlank()) {
            throw new IOException("airbnb: a reservation of listing " + listingId + " has no confirmation_code");
        }
        String status = switch (r.path("status_type").asText("")) {
            case "accepted" -> "confirmed";
            case "pending" -> "pending";
            case "cancelled", "denied" -> "cancelled";
            default -> throw new IOException("airbnb: reservation " + code + " has unknown status_type '" + r.path("status_type").asText() + "'");
        };
        String first = r.path("guest_first_name").asText("");
        String last = r.path("guest_last_name").asText("");
        return new ChannelReservation("airbnb", code, r.path("listing_id").asText(listingId), null,
                LocalDate.parse(r.path("start_date").asText()), LocalDate.parse(r.path("end_date").asText()),
                status, (first + " " + last).trim(),
                r.hasNonNull("number_of_guests") ? r.get("number_of_guests").asInt() : null,
                r.hasNonNull("expected_payout_amount_accurate") ? new BigDecimal(r.get("expected_payout_amount_accurate").asText()) : null,
                r.hasNonNull("host_currency") ? r.get("host_currency").asText() : null,
                null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
