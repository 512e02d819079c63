package io.channelsync.channel.bookingcom;

import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.DayRanges;
import io.channelsync.channel.MappedListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes a room-rate's nightly prices to Booking.com with {@code OTA_HotelRateAmountNotif}
 * (https://connect.booking.com/user_guide/site/en-US/ota-rateamountnotif/, "Create or update rates"):
 * <pre>
 * POST {channel-sync.channels.booking-com.base-url}/hotels/ota/OTA_HotelRateAmountNotif
 * Authorization: Bearer {BookingComTokenProvider.token()}
 * Accept-Version: 1.1
 * Content-Type: application/xml
 *
 * &lt;OTA_HotelRateAmountNotifRQ xmlns=... xmlns:xsi=... xsi:schemaLocation="... OTA_HotelRateAmountNotifRQ.xsd" TimeStamp=".." Target="{target}" Version="3.000"&gt;
 *   &lt;RateAmountMessages HotelCode="{hotel id}"&gt;
 *     &lt;RateAmountMessage&gt;
 *       &lt;StatusApplicationControl Start="2026-12-01" End="2026-12-03" InvTypeCode="{room_id}" RatePlanCode="{rate_plan_id}"/&gt;
 *       &lt;Rates&gt;&lt;Rate&gt;&lt;BaseByGuestAmts&gt;
 *         &lt;BaseByGuestAmt AmountAfterTax="120.00" CurrencyCode="EUR"/&gt;      the room's price per night
 *       &lt;/BaseByGuestAmts&gt;&lt;/Rate&gt;&lt;/Rates&gt;
 *     &lt;/RateAmountMessage&gt;
 *   &lt;/RateAmountMessages&gt;
 * &lt;/OTA_HotelRateAmountNotifRQ&gt;
 * </pre>
 * One hotel a request; the sync worker sends at most two calendar months of changed nights a request. The price
 * is the room's per night ({@code BaseByGuestAmt} without {@code NumberOfGuests}, as the page's per-room
 * example), with the property's currency; nights without a price are not sent (there is none to set).
 * Needs the mapping's {@code rate_plan_id}: the API refuses prices for a property whose Booking.com mapping
 * has none, and a push for such a mapping logs at INFO that its prices were not sent.
 */
@Component
public class BookingComRateClient {

    static final String ENDPOINT = "OTA_HotelRateAmountNotif";
    private static final Logger log = LoggerFactory.getLogger(BookingComRateClient.class);

    /** What one night's rate is. */
    record Price(BigDecimal amount, String currency) {
    }

    private final BookingComReservationProperties bookingCom;
    private final BookingComNotifs notifs;

    public BookingComRateClient(BookingComReservationProperties bookingCom, BookingComNotifs notifs) {
        this.bookingCom = bookingCom;
        this.notifs = notifs;
    }

    /** @return the HTTP status Booking.com answered (2xx), 0 when no night has a price to send */
    public int pushRates(MappedListing listing, List<CalendarDay> days) throws IOException {
        List<CalendarDay> priced = days.stream().filter(day -> day.price() != null).toList();
        if (priced.isEmpty()) {
            return 0;
        }
        String what = "rate push of hotel " + listing.listingId() + " room " + listing.roomId();
        if (listing.ratePlanId() == null) {
            log.info("{}: prices not sent, the mapping has no rate_plan_id (PATCH /api/v1/channel-mappings/{{id}} with one)", what);
            return 0;
        }
        BookingComAvailabilityClient.Request request = request(listing, priced, bookingCom.target(), Instant.now());
        return notifs.post(ENDPOINT, what, request.xml(), request.sent());
    }

    static BookingComAvailabilityClient.Request request(MappedListing listing, List<CalendarDay> days, String target, Instant now) {
        String hotel = BookingComNotifs.digits(listing.listingId());
        String room = BookingComNotifs.digits(listing.roomId());
        String ratePlan = BookingComNotifs.digits(listing.ratePlanId());
        StringBuilder xml = BookingComNotifs.root("OTA_HotelRateAmountNotifRQ", "3.000", target, now)
                .append("  <RateAmountMessages HotelCode=\"").append(hotel).append("\">\n");
        List<BookingComNotifs.Sent> sent = new ArrayList<>();
        for (var r : DayRanges.fold(days, day -> new Price(day.price().setScale(2, RoundingMode.UNNECESSARY), day.currency()))) {
            sent.add(new BookingComNotifs.Sent(sent.size() + 1, r.start() + ".." + r.end(), "BaseByGuestAmt"));
            xml.append("    <RateAmountMessage>\n")
                    .append("      <StatusApplicationControl Start=\"").append(r.start()).append("\" End=\"").append(r.end())
                    .append("\" InvTypeCode=\"").append(room).append("\" RatePlanCode=\"").append(ratePlan).append("\"/>\n")
                    .append("      <Rates>\n        <Rate>\n          <BaseByGuestAmts>\n")
                    .append("            <BaseByGuestAmt AmountAfterTax=\"").append(r.value().amount().toPlainString()).append('"');
            if (r.value().currency() != null) {
                xml.append(" CurrencyCode=\"").append(currency(r.value().currency())).append('"');
            }
            xml.append("/>\n          </BaseByGuestAmts>\n        </Rate>\n      </Rates>\n    </RateAmountMessage>\n");
        }
        return new BookingComAvailabilityClient.Request(xml.append("  </RateAmountMessages>\n</OTA_HotelRateAmountNotifRQ>\n").toString(),
                List.copyOf(sent));
    }

    private static String currency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("a currency is three upper-case letters (ISO 4217), got " + code);
        }
        return code;
    }
}
