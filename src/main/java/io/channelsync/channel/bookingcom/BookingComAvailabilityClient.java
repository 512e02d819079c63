package io.channelsync.channel.bookingcom;

import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.MappedListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pushes a room's availability to Booking.com with {@code OTA_HotelAvailNotif}, in the shape of the
 * published sample (https://connect.booking.com/user_guide/site/en-US/ota-hotelavailnotif/):
 * <pre>
 * POST {channel-sync.channels.booking-com.base-url}/hotels/ota/OTA_HotelAvailNotif
 * Authorization: Bearer {BookingComTokenProvider.token()}
 * Accept-Version: 1.1
 * Content-Type: application/xml
 *
 * &lt;OTA_HotelAvailNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 *     xsi:schemaLocation="http://www.opentravel.org/OTA/2003/05 OTA_HotelAvailNotifRQ.xsd"
 *     TimeStamp="2026-11-30T10:00:00" Target="{target}" Version="1.005"&gt;
 *   &lt;AvailStatusMessages&gt;
 *     &lt;AvailStatusMessage BookingLimit="1" LocatorID="1"&gt;                        room level: units to sell
 *       &lt;StatusApplicationControl Start="2026-12-01" End="2026-12-03" InvTypeCode="{room_id}"/&gt;
 *     &lt;/AvailStatusMessage&gt;
 *     &lt;AvailStatusMessage LocatorID="2"&gt;                                        room-rate level: restrictions
 *       &lt;StatusApplicationControl Start="2026-12-01" End="2026-12-03" InvTypeCode="{room_id}" RatePlanCode="{rate_plan_id}"/&gt;
 *       &lt;LengthsOfStay&gt;&lt;LengthOfStay Time="2" MinMaxMessageType="SetMinLOS"/&gt;&lt;/LengthsOfStay&gt;
 *     &lt;/AvailStatusMessage&gt;
 *   &lt;/AvailStatusMessages&gt;
 * &lt;/OTA_HotelAvailNotifRQ&gt;
 * </pre>
 * Root attributes as the page fixes them; {@code TimeStamp} is now (UTC, without offset, as the sample);
 * {@code Target} is {@code channel-sync.channels.booking-com.target}. The sample puts no {@code HotelCode} on
 * {@code AvailStatusMessages}: the room id names the room (the hotel id stays the mapping's, for ownership).
 * <p>
 * {@code BookingLimit} is the number of units still sellable (1 open, 0 closed: a rental is one unit), on a
 * message whose {@code StatusApplicationControl} names only the room. Minimum stay is a room-rate restriction
 * (the page: "Restrictions per room-rate/date"): it is sent as {@code SetMinLOS} in a message of its own that
 * carries the mapping's rate plan as {@code RatePlanCode}. A mapping without {@code rate_plan_id} sends the
 * inventory only, and the push logs once at INFO that its minimum stay was not sent. Consecutive days with
 * the same availability and minimum stay are folded into one range, {@code Start}..{@code End} inclusive;
 * {@code LocatorID} numbers the messages 1, 2, ... . Not sent: {@code SetMaxLOS}, {@code RestrictionStatus}
 * (a closed night is {@code BookingLimit="0"}), prices ({@code OTA_HotelRateAmountNotif}).
 * <p>
 * A 2xx answer whose body holds {@code <Errors>} is a refusal (permanent); other statuses throw
 * {@link ChannelCallException}. On a 401 the cached token is invalidated and the call retried once
 * with a new one.
 */
@Component
public class BookingComAvailabilityClient {

    private static final Logger log = LoggerFactory.getLogger(BookingComAvailabilityClient.class);
    /** The sample's {@code TimeStamp}: seconds, no offset; we send UTC. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private final ChannelProperties properties;
    private final BookingComReservationProperties bookingCom;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;

    public BookingComAvailabilityClient(ChannelProperties properties, BookingComReservationProperties bookingCom,
                                        BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.bookingCom = bookingCom;
        this.tokens = tokens;
        this.http = http;
    }

    /** @return the HTTP status Booking.com answered (2xx) */
    public int pushAvailability(MappedListing listing, List<CalendarDay> days) throws IOException {
        String what = "availability push of hotel " + listing.listingId() + " room " + listing.roomId();
        if (listing.ratePlanId() == null && days.stream().anyMatch(day -> day.minStay() != null)) {
            log.info("{}: minimum stay not sent (a room-rate restriction), the mapping has no rate_plan_id; inventory only", what);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.bookingCom().baseUrl() + "/hotels/ota/OTA_HotelAvailNotif"))
                .header("Accept-Version", "1.1")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(request(listing, days, bookingCom.target(), Instant.now())));
        HttpResponse<String> response = http.callWithBearer(BookingComConnector.PLATFORM, what, tokens, request, HttpResponse.BodyHandlers.ofString());
        if (response.body() != null && response.body().contains("<Errors")) {
            throw new ChannelCallException(BookingComConnector.PLATFORM, response.statusCode(), what + " refused" + ChannelHttp.snippet(response.body()), null);
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

    static String request(MappedListing listing, List<CalendarDay> days, String target, Instant now) {
        String room = digits(listing.roomId());
        String ratePlan = listing.ratePlanId() == null ? null : digits(listing.ratePlanId());
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<OTA_HotelAvailNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"")
                .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                .append(" xsi:schemaLocation=\"http://www.opentravel.org/OTA/2003/05 OTA_HotelAvailNotifRQ.xsd\"")
                .append(" TimeStamp=\"").append(TIMESTAMP.format(now))
                .append("\" Target=\"").append(target(target)).append("\" Version=\"1.005\">\n")
                .append("  <AvailStatusMessages>\n");
        // without a rate plan the minimum stay is not sent, so it must not split the inventory ranges either
        List<CalendarDay> sent = ratePlan != null ? days
                : days.stream().map(day -> new CalendarDay(day.date(), day.available(), null, day.price())).toList();
        int locator = 0;
        for (Range r : fold(sent)) {
            xml.append("    <AvailStatusMessage BookingLimit=\"").append(r.available() ? 1 : 0).append("\" LocatorID=\"").append(++locator).append("\">\n")
                    .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                    .append("\" InvTypeCode=\"").append(room).append("\"/>\n")
                    .append("    </AvailStatusMessage>\n");
            if (ratePlan != null && r.minStay() != null) {
                xml.append("    <AvailStatusMessage LocatorID=\"").append(++locator).append("\">\n")
                        .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                        .append("\" InvTypeCode=\"").append(room).append("\" RatePlanCode=\"").append(ratePlan).append("\"/>\n")
                        .append("      <LengthsOfStay>\n")
                        .append("        <LengthOfStay Time=\"").append(r.minStay()).append("\" MinMaxMessageType=\"SetMinLOS\"/>\n")
                        .append("      </LengthsOfStay>\n")
                        .append("    </AvailStatusMessage>\n");
            }
        }
        return xml.append("  </AvailStatusMessages>\n</OTA_HotelAvailNotifRQ>\n").toString();
    }

    /** The page allows {@code Production} or {@code Test}; anything else is a configuration error, not XML to escape. */
    private static String target(String target) {
        if (!"Production".equals(target) && !"Test".equals(target)) {
            throw new IllegalStateException("channel-sync.channels.booking-com.target must be Production or Test, got " + target);
        }
        return target;
    }

    /** Room and rate plan ids are digits (checked by the mapping's rules); refuse anything else rather than escape it into XML. */
    private static String digits(String id) {
        if (id == null || !id.matches("[0-9]+")) {
            throw new IllegalArgumentException("Booking.com ids must be digits, got " + id);
        }
        return id;
    }
}
