package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.DayRanges;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Pushes a listing's calendar to Airbnb, one call per run of consecutive days with equal values
 * (docs/channels.md names the evidence):
 * <pre>
 * PUT {base-url}/v2/calendars/{listing_id}/{start_date}/{end_date}     (both dates inclusive)
 * X-Airbnb-API-Key: {api-key}
 * X-Airbnb-OAuth-Token: {the host's token, from the listing's channel connection}
 * Content-Type: application/json
 *
 * {"availability": "available" | "unavailable", "daily_price": 120.00, "min_nights": 2, "max_nights": 14}
 * </pre>
 * {@code availability} is {@code available} when a unit is left and the night is not stop-sold;
 * {@code daily_price}, {@code min_nights} (the minimum stay for an arrival) and {@code max_nights} are left out
 * for days that have none. Not sent, for want of public evidence of a field: minimum stay through, closed to
 * arrival, closed to departure, units beyond open/closed (docs/channels.md lists them). Why ranges and
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

    /**
     * What one night is on Airbnb: open or not (a unit left and no stop sell), price, minimum and maximum
     * nights. Prices are kept to the cent, so {@code 120.0} and {@code 120.00} are one value.
     */
    record Night(boolean available, BigDecimal dailyPrice, Integer minNights, Integer maxNights) {
        static Night of(CalendarDay day) {
            return new Night(day.available(), day.price() == null ? null : day.price().setScale(2, RoundingMode.HALF_UP),
                    day.minStayArrival(), day.maxStay());
        }
    }

    /** @return the HTTP status of the last call Airbnb answered (2xx); 0 if there was nothing to push */
    public int pushCalendar(String listingId, List<CalendarDay> days) throws IOException {
        String token = api.tokenForListing(listingId);
        int status = 0;
        for (DayRanges.Range<Night> range : fold(days)) {
            HttpRequest.Builder request = api.request("/v2/calendars/" + AirbnbApi.enc(listingId) + "/" + range.start() + "/" + range.end(), token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body(range.value())));
            status = http.call(AirbnbConnector.PLATFORM, "calendar push of listing " + listingId + " " + range.start() + ".." + range.end(),
                    request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
        return status;
    }

    /** Consecutive days with equal values, as ranges, in date order. */
    static List<DayRanges.Range<Night>> fold(List<CalendarDay> days) {
        return DayRanges.fold(days, Night::of);
    }

    String body(Night night) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("availability", night.available() ? "available" : "unavailable");
        if (night.dailyPrice() != null) {
            body.put("daily_price", night.dailyPrice());
        }
        if (night.minNights() != null) {
            body.put("min_nights", night.minNights());
        }
        if (night.maxNights() != null) {
            body.put("max_nights", night.maxNights());
        }
        return json.writeValueAsString(body);
    }
}
