package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pushes a listing's calendar to Airbnb, one call per run of consecutive days with equal values
 * (docs/channels.md names the evidence):
 * <pre>
 * PUT {base-url}/v2/calendars/{listing_id}/{start_date}/{end_date}     (both dates inclusive)
 * X-Airbnb-API-Key: {api-key}
 * X-Airbnb-OAuth-Token: {the host's token, from the listing's channel connection}
 * Content-Type: application/json
 *
 * {"availability": "available" | "unavailable", "daily_price": 120.00, "min_nights": 2}
 * </pre>
 * {@code daily_price} and {@code min_nights} are left out for days that have none. Why ranges and
 * not the batch calendar operations (at most 731 dates a call): the range PUT is the call the public
 * evidence shows with its path and body; a PMS calendar is mostly long runs of equal days, so folding
 * keeps the calls few; each PUT is idempotent, so a failed push is simply made again whole by the
 * sync job's retry. Any 2xx is success; any other status throws {@link ChannelCallException} (5xx and
 * 429 transient); a connection error or timeout throws {@link IOException} (transient). A listing
 * without a host token throws a non-transient 401 {@link ChannelCallException} before any call.
 */
@Component
public class AirbnbCalendarClient {

    private final AirbnbApi api;
    private final ChannelHttp http;
    private final ObjectMapper json;

    public AirbnbCalendarClient(AirbnbApi api, ChannelHttp http, ObjectMapper json) {
        this.api = api;
        this.http = http;
        this.json = json;
    }

    /** A run of consecutive days with the same values, both ends inclusive. */
    record Range(LocalDate start, LocalDate end, boolean available, Integer minNights, BigDecimal dailyPrice) {
        boolean continuedBy(CalendarDay day) {
            return day.date().equals(end.plusDays(1)) && day.available() == available
                    && Objects.equals(day.minStay(), minNights) && samePrice(day.price(), dailyPrice);
        }

        private static boolean samePrice(BigDecimal a, BigDecimal b) {
            return a == null ? b == null : b != null && a.compareTo(b) == 0;
        }
    }

    /** @return the HTTP status of the last call Airbnb answered (2xx); 0 if there was nothing to push */
    public int pushCalendar(String listingId, List<CalendarDay> days) throws IOException {
        String token = api.tokenForListing(listingId);
        int status = 0;
        for (Range range : fold(days)) {
            HttpRequest.Builder request = api.request("/v2/calendars/" + AirbnbApi.enc(listingId) + "/" + range.start() + "/" + range.end(), token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body(range)));
            status = http.call(AirbnbConnector.PLATFORM, "calendar push of listing " + listingId + " " + range.start() + ".." + range.end(),
                    request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
        return status;
    }

    /** Consecutive days with equal availability, minimum nights and price, as ranges, in date order. */
    static List<Range> fold(List<CalendarDay> days) {
        List<CalendarDay> sorted = days.stream().sorted(java.util.Comparator.comparing(CalendarDay::date)).toList();
        List<Range> ranges = new ArrayList<>();
        Range current = null;
        for (CalendarDay day : sorted) {
            if (current != null && current.continuedBy(day)) {
                current = new Range(current.start(), day.date(), current.available(), current.minNights(), current.dailyPrice());
            } else {
                if (current != null) {
                    ranges.add(current);
                }
                current = new Range(day.date(), day.date(), day.available(), day.minStay(), day.price());
            }
        }
        if (current != null) {
            ranges.add(current);
        }
        return ranges;
    }

    String body(Range range) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("availability", range.available() ? "available" : "unavailable");
        if (range.dailyPrice() != null) {
            body.put("daily_price", range.dailyPrice());
        }
        if (range.minNights() != null) {
            body.put("min_nights", range.minNights());
        }
        return json.writeValueAsString(body);
    }
}
