package io.channelsync.channel.airbnb;

import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.CalendarDay;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pushes a listing's calendar to Airbnb.
 * <pre>
 * PUT {channel-sync.channels.airbnb.base-url}/v2/calendars/{listing_id}
 * X-Airbnb-API-Key: {channel-sync.channels.airbnb.api-key}
 * Content-Type: application/json
 * Accept: application/json
 *
 * {"listing_id": "1234567890123",
 *  "days": [{"date": "2026-12-01", "available": true, "min_nights": 2, "daily_price": 120.00}, ...]}
 * </pre>
 * {@code min_nights} and {@code daily_price} are omitted for a day that has none. Any 2xx is
 * success; any other status throws {@link ChannelCallException} (5xx and 429 transient, carrying
 * {@code Retry-After}); a connection error or timeout throws {@link IOException} (transient). No
 * header of the inbound request is forwarded: this client builds its own.
 */
@Component
public class AirbnbCalendarClient {

    static final String PLATFORM = "airbnb";
    private final ChannelProperties properties;
    private final ChannelHttp http;
    private final ObjectMapper json;

    public AirbnbCalendarClient(ChannelProperties properties, ChannelHttp http, ObjectMapper json) {
        this.properties = properties;
        this.http = http;
        this.json = json;
    }

    /** @return the HTTP status Airbnb answered (2xx) */
    public int pushCalendar(String listingId, List<CalendarDay> days) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.airbnb().baseUrl() + "/v2/calendars/"
                        + URLEncoder.encode(listingId, StandardCharsets.UTF_8)))
                .header("X-Airbnb-API-Key", properties.airbnb().apiKey() == null ? "" : properties.airbnb().apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body(listingId, days)));
        return http.call(PLATFORM, "calendar push of listing " + listingId, request, HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    String body(String listingId, List<CalendarDay> days) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("listing_id", listingId);
        ArrayNode out = root.putArray("days");
        for (CalendarDay day : days) {
            ObjectNode d = out.addObject();
            d.put("date", day.date().toString());
            d.put("available", day.available());
            if (day.minStay() != null) {
                d.put("min_nights", day.minStay());
            }
            if (day.price() != null) {
                d.put("daily_price", day.price());
            }
        }
        return json.writeValueAsString(root);
    }
}
