package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.CalendarDay;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pushes a room's availability to Booking.com (OTA_HotelAvailNotif, one hotel per request).
 * <pre>
 * POST {channel-sync.channels.booking-com.base-url}/hotels/ota/OTA_HotelAvailNotif
 * Authorization: Bearer {BookingComTokenProvider.token()}
 * Accept-Version: 1.1
 * Content-Type: application/xml
 *
 * &lt;?xml version="1.0" encoding="UTF-8"?&gt;
 * &lt;OTA_HotelAvailNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.1" TimeStamp="2026-11-30T10:00:00Z"&gt;
 *   &lt;AvailStatusMessages HotelCode="{listing_id}"&gt;
 *     &lt;AvailStatusMessage BookingLimit="1"&gt;
 *       &lt;StatusApplicationControl Start="2026-12-01" End="2026-12-03" InvTypeCode="{room_id}"/&gt;
 *       &lt;LengthsOfStay&gt;&lt;LengthOfStay MinMaxMessageType="SetMinLOS" Time="2" TimeUnit="Day"/&gt;&lt;/LengthsOfStay&gt;
 *     &lt;/AvailStatusMessage&gt;
 *     ...
 *   &lt;/AvailStatusMessages&gt;
 * &lt;/OTA_HotelAvailNotifRQ&gt;
 * </pre>
 * {@code BookingLimit} is the number of units still sellable (1 open, 0 closed: a rental is one
 * unit). Consecutive days with the same availability and minimum stay are folded into one
 * {@code AvailStatusMessage} whose {@code Start}..{@code End} are inclusive; {@code LengthsOfStay} is
 * omitted when the days have no minimum stay. Prices are not part of this message.
 * <p>
 * A 2xx answer whose body holds {@code <Errors>} is a refusal (permanent); other statuses throw
 * {@link ChannelCallException}. On a 401 the cached token is invalidated and the call retried once
 * with a new one.
 */
@Component
public class BookingComAvailabilityClient {

    static final String PLATFORM = "booking_com";
    private final ChannelProperties properties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;

    public BookingComAvailabilityClient(ChannelProperties properties, BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
    }

    /** @return the HTTP status Booking.com answered (2xx) */
    public int pushAvailability(String hotelId, String roomId, List<CalendarDay> days) throws IOException {
        String what = "availability push of hotel " + hotelId + " room " + roomId;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.bookingCom().baseUrl() + "/hotels/ota/OTA_HotelAvailNotif"))
                .header("Accept-Version", "1.1")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(request(hotelId, roomId, days, Instant.now())));
        HttpResponse<String> response = http.callWithBearer(BookingComConnector.PLATFORM, what, tokens, request, HttpResponse.BodyHandlers.ofString());
        if (response.body() != null && response.body().contains("<Errors")) {
            throw new ChannelCallException(PLATFORM, response.statusCode(), what + " refused" + ChannelHttp.snippet(response.body()), null);
        }
        return response.statusCode();
    }

    /** A run of consecutive days with equal values, both ends inclusive. */
    record Range(java.time.LocalDate start, java.time.LocalDate end, boolean available, Integer minStay) {
    }

    /** Folds consecutive days with the same availability and minimum stay into ranges (days in date order). */
    static List<Range> fold(List<CalendarDay> days) {
        List<Range> ranges = new ArrayList<>();
        Range open = null;
        for (CalendarDay day : days) {
            if (open != null && open.end().plusDays(1).equals(day.date()) && open.available() == day.available()
                    && Objects.equals(open.minStay(), day.minStay())) {
                open = new Range(open.start(), day.date(), open.available(), open.minStay());
            } else {
                if (open != null) {
                    ranges.add(open);
                }
                open = new Range(day.date(), day.date(), day.available(), day.minStay());
            }
        }
        if (open != null) {
            ranges.add(open);
        }
        return ranges;
    }

    static String request(String hotelId, String roomId, List<CalendarDay> days, Instant now) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<OTA_HotelAvailNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\" Version=\"1.1\" TimeStamp=\"")
                .append(now.truncatedTo(ChronoUnit.SECONDS)).append("\">\n")
                .append("  <AvailStatusMessages HotelCode=\"").append(digits(hotelId)).append("\">\n");
        for (Range r : fold(days)) {
            xml.append("    <AvailStatusMessage BookingLimit=\"").append(r.available() ? 1 : 0).append("\">\n")
                    .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                    .append("\" InvTypeCode=\"").append(digits(roomId)).append("\"/>\n");
            if (r.minStay() != null) {
                xml.append("      <LengthsOfStay><LengthOfStay MinMaxMessageType=\"SetMinLOS\" Time=\"").append(r.minStay())
                        .append("\" TimeUnit=\"Day\"/></LengthsOfStay>\n");
            }
            xml.append("    </AvailStatusMessage>\n");
        }
        return xml.append("  </AvailStatusMessages>\n</OTA_HotelAvailNotifRQ>\n").toString();
    }

    /** Hotel and room ids are digits (checked by the schema); refuse anything else rather than escape it into XML. */
    private static String digits(String id) {
        if (id == null || !id.matches("[0-9]+")) {
            throw new IllegalArgumentException("Booking.com ids must be digits, got " + id);
        }
        return id;
    }
}
