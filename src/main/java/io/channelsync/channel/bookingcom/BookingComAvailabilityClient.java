package io.channelsync.channel.bookingcom;

import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.DayRanges;
import io.channelsync.channel.MappedListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes a room's units and restrictions to Booking.com with {@code OTA_HotelAvailNotif}, in the shape of the
 * published sample (https://connect.booking.com/user_guide/site/en-US/ota-hotelavailnotif/):
 * <pre>
 * POST {channel-sync.channels.booking-com.base-url}/hotels/ota/OTA_HotelAvailNotif
 * Authorization: Bearer {BookingComTokenProvider.token()}
 * Accept-Version: 1.1
 * Content-Type: application/xml
 *
 * &lt;OTA_HotelAvailNotifRQ xmlns=... xmlns:xsi=... xsi:schemaLocation="... OTA_HotelAvailNotifRQ.xsd" TimeStamp=".." Target="{target}" Version="1.005"&gt;
 *   &lt;AvailStatusMessages&gt;
 *     &lt;AvailStatusMessage BookingLimit="2" LocatorID="1"&gt;                        room level: units left to sell
 *       &lt;StatusApplicationControl Start="2026-12-01" End="2026-12-03" InvTypeCode="{room_id}"/&gt;
 *     &lt;/AvailStatusMessage&gt;
 *     &lt;AvailStatusMessage LocatorID="2"&gt;                                        room-rate level: stay rules, open/close
 *       &lt;StatusApplicationControl Start=".." End=".." InvTypeCode="{room_id}" RatePlanCode="{rate_plan_id}"/&gt;
 *       &lt;LengthsOfStay&gt;
 *         &lt;LengthOfStay Time="2" MinMaxMessageType="SetForwardMinStay"/&gt;      minimum stay for an arrival that day
 *         &lt;LengthOfStay Time="1" MinMaxMessageType="SetMinLOS"/&gt;              minimum stay through that day
 *         &lt;LengthOfStay Time="14" MinMaxMessageType="SetMaxLOS"/&gt;             maximum stay, when the PMS has one
 *       &lt;/LengthsOfStay&gt;
 *       &lt;RestrictionStatus Status="Open"/&gt;                                     Close: stop sell
 *     &lt;/AvailStatusMessage&gt;
 *     &lt;AvailStatusMessage LocatorID="3"&gt; ... &lt;RestrictionStatus Restriction="Arrival" Status="Close"/&gt;   closed to arrival
 *     &lt;AvailStatusMessage LocatorID="4"&gt; ... &lt;RestrictionStatus Restriction="Departure" Status="Open"/&gt;  closed to departure
 *   &lt;/AvailStatusMessages&gt;
 * &lt;/OTA_HotelAvailNotifRQ&gt;
 * </pre>
 * {@code BookingLimit} is the number of units left (the night's units less those active bookings hold). The
 * restrictions are room-rate restrictions (the page: "Restrictions per room type, rate and date"), sent with
 * the mapping's rate plan as {@code RatePlanCode}; minimum stays are always sent (none is {@code Time="1"},
 * which lifts an earlier one), so a delta that clears one reaches Booking.com. A mapping without
 * {@code rate_plan_id} sends the room level only, with a stop-sold night as {@code BookingLimit="0"}, and the
 * push logs once at INFO that its restrictions were not sent. Consecutive days with equal values fold into
 * one range, {@code Start}..{@code End} inclusive; {@code LocatorID} numbers the messages 1, 2, ... .
 * Answers: {@link BookingComNotifs}.
 */
@Component
public class BookingComAvailabilityClient {

    static final String ENDPOINT = "OTA_HotelAvailNotif";
    private static final Logger log = LoggerFactory.getLogger(BookingComAvailabilityClient.class);

    /** What one night is at room level. */
    record RoomLevel(int bookingLimit) {
    }

    /** What one night is at room-rate level. */
    record RateLevel(int minStayArrival, int minStayThrough, Integer maxStay, boolean stopSell, boolean closedToArrival,
                     boolean closedToDeparture) {
        static RateLevel of(CalendarDay day) {
            return new RateLevel(orOne(day.minStayArrival()), orOne(day.minStayThrough()), day.maxStay(), day.stopSell(),
                    day.closedToArrival(), day.closedToDeparture());
        }

        private static int orOne(Integer minStay) {
            return minStay == null ? 1 : minStay;
        }
    }

    /** A request and what each of its messages sets (for the warnings Booking.com answers). */
    record Request(String xml, List<BookingComNotifs.Sent> sent) {
    }

    private final BookingComReservationProperties bookingCom;
    private final BookingComNotifs notifs;

    public BookingComAvailabilityClient(BookingComReservationProperties bookingCom, BookingComNotifs notifs) {
        this.bookingCom = bookingCom;
        this.notifs = notifs;
    }

    /** @return the HTTP status Booking.com answered (2xx) */
    public int pushAvailability(MappedListing listing, List<CalendarDay> days) throws IOException {
        String what = "availability push of hotel " + listing.listingId() + " room " + listing.roomId();
        if (listing.ratePlanId() == null && days.stream().anyMatch(BookingComAvailabilityClient::hasRateRestriction)) {
            log.info("{}: stay rules and arrival/departure restrictions not sent (room-rate restrictions), the mapping has "
                    + "no rate_plan_id; units only", what);
        }
        Request request = request(listing, days, bookingCom.target(), Instant.now());
        return notifs.post(ENDPOINT, what, request.xml(), request.sent());
    }

    private static boolean hasRateRestriction(CalendarDay day) {
        return day.minStayArrival() != null || day.minStayThrough() != null || day.maxStay() != null
                || day.closedToArrival() || day.closedToDeparture();
    }

    static Request request(MappedListing listing, List<CalendarDay> days, String target, Instant now) {
        String room = BookingComNotifs.digits(listing.roomId());
        String ratePlan = listing.ratePlanId() == null ? null : BookingComNotifs.digits(listing.ratePlanId());
        StringBuilder xml = BookingComNotifs.root("OTA_HotelAvailNotifRQ", "1.005", target, now).append("  <AvailStatusMessages>\n");
        List<BookingComNotifs.Sent> sent = new ArrayList<>();
        // without a rate plan a stop sell can only close the room: no units to sell
        for (var r : DayRanges.fold(days, day -> new RoomLevel(ratePlan == null && day.stopSell() ? 0 : day.units()))) {
            int locator = sent.size() + 1;
            sent.add(new BookingComNotifs.Sent(locator, r.start() + ".." + r.end(), "BookingLimit"));
            xml.append("    <AvailStatusMessage BookingLimit=\"").append(r.value().bookingLimit()).append("\" LocatorID=\"").append(locator).append("\">\n")
                    .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                    .append("\" InvTypeCode=\"").append(room).append("\"/>\n")
                    .append("    </AvailStatusMessage>\n");
        }
        if (ratePlan != null) {
            for (var r : DayRanges.fold(days, RateLevel::of)) {
                RateLevel v = r.value();
                StringBuilder stay = new StringBuilder("      <LengthsOfStay>\n")
                        .append("        <LengthOfStay Time=\"").append(v.minStayArrival()).append("\" MinMaxMessageType=\"SetForwardMinStay\"/>\n")
                        .append("        <LengthOfStay Time=\"").append(v.minStayThrough()).append("\" MinMaxMessageType=\"SetMinLOS\"/>\n");
                if (v.maxStay() != null) {
                    stay.append("        <LengthOfStay Time=\"").append(v.maxStay()).append("\" MinMaxMessageType=\"SetMaxLOS\"/>\n");
                }
                stay.append("      </LengthsOfStay>\n").append(status(null, v.stopSell()));
                rateMessage(xml, sent, r, room, ratePlan, "LengthsOfStay/RestrictionStatus (stop sell)", stay);
                rateMessage(xml, sent, r, room, ratePlan, "RestrictionStatus Arrival", status("Arrival", v.closedToArrival()));
                rateMessage(xml, sent, r, room, ratePlan, "RestrictionStatus Departure", status("Departure", v.closedToDeparture()));
            }
        }
        return new Request(xml.append("  </AvailStatusMessages>\n</OTA_HotelAvailNotifRQ>\n").toString(), List.copyOf(sent));
    }

    private static void rateMessage(StringBuilder xml, List<BookingComNotifs.Sent> sent, DayRanges.Range<?> r, String room,
                                    String ratePlan, String field, CharSequence content) {
        int locator = sent.size() + 1;
        sent.add(new BookingComNotifs.Sent(locator, r.start() + ".." + r.end(), field));
        xml.append("    <AvailStatusMessage LocatorID=\"").append(locator).append("\">\n")
                .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                .append("\" InvTypeCode=\"").append(room).append("\" RatePlanCode=\"").append(ratePlan).append("\"/>\n")
                .append(content)
                .append("    </AvailStatusMessage>\n");
    }

    private static String status(String restriction, boolean closed) {
        return "      <RestrictionStatus " + (restriction == null ? "" : "Restriction=\"" + restriction + "\" ")
                + "Status=\"" + (closed ? "Close" : "Open") + "\"/>\n";
    }
}
