package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ReservationPages;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.ChannelHttp;
import org.springframework.stereotype.Component;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
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
 * Reads the reservations Booking.com holds for a hotel room, page by page, as OTA XML (used by
 * reconciliation). Every call carries {@code Authorization: Bearer {BookingComTokenProvider.token()}};
 * on a 401 the token is invalidated and the call retried once with a new one.
 * <p>
 * <b>Reservations:</b> {@code GET {channel-sync.channels.booking-com.base-url}/hotels/ota/OTA_HotelResNotif?hotel_id={listing_id}&room_id={room_id}&start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&offset={n}&limit=50}
 * with headers {@code Authorization: Bearer <jwt>} and {@code Accept: application/xml}: the hotel's
 * reservations whose stay overlaps the window, cancelled ones included.
 * <p>
 * <b>Missed reservations</b> (only when {@code channel-sync.channels.booking-com.missed-reservations-path}
 * is set): {@code GET {base-url}{missed-reservations-path}?hotel_id=..&room_id=..&start_date=..&end_date=..&offset={n}&limit=50},
 * same headers, same answer format: reservations Booking.com could not deliver. Both lists are read.
 * <p>
 * Answer (200, {@code application/xml}; the root may be {@code OTA_HotelResNotifRQ} or {@code ..RS},
 * elements are matched by local name, namespaces ignored):
 * <pre>{@code
 * <OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" NextOffset="50">
 *   <HotelReservations>
 *     <HotelReservation ResStatus="Book">            <!-- Book|Modify|Commit -> confirmed, Pending -> pending, Cancel -> cancelled -->
 *       <UniqueID ID="4012345678"/>
 *       <RoomStays>
 *         <RoomStay>
 *           <RoomTypes><RoomType RoomTypeCode="7700101"/></RoomTypes>
 *           <TimeSpan Start="2026-12-01" End="2026-12-05"/>
 *           <GuestCounts><GuestCount Count="2"/></GuestCounts>
 *           <Total AmountAfterTax="480.00" CurrencyCode="EUR"/>
 *         </RoomStay>
 *       </RoomStays>
 *       <ResGuests><ResGuest><Profiles><ProfileInfo><Profile><Customer>
 *         <PersonName><GivenName>Ana</GivenName><Surname>Silva</Surname></PersonName>
 *       </Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>
 *     </HotelReservation>
 *   </HotelReservations>
 * </OTA_HotelResNotifRQ>
 * }</pre>
 * {@code NextOffset} on the root is the offset of the next page; absent or empty on the last page.
 * A reservation whose room stays name other room types than the mapping's room is not this room's
 * and is skipped; a room stay without a RoomTypeCode is taken as the mapping's room.
 */
@Component
public class BookingComReservationsClient implements ReservationPages {

    private static final int LIMIT = 50;
    private final ChannelProperties properties;
    private final BookingComReservationProperties reservationProperties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;
    private final XMLInputFactory xml;

    public BookingComReservationsClient(ChannelProperties properties, BookingComReservationProperties reservationProperties,
                                        BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.reservationProperties = reservationProperties;
        this.tokens = tokens;
        this.http = http;
        this.xml = XMLInputFactory.newFactory();
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    @Override
    public String platform() {
        return "booking_com";
    }

    @Override
    public void forEachPage(String hotelId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException {
        read("/hotels/ota/OTA_HotelResNotif", hotelId, roomId, from, to, page);
        if (reservationProperties.missedReservationsEnabled()) {
            String path = reservationProperties.missedReservationsPath();
            read(path.startsWith("/") ? path : "/" + path, hotelId, roomId, from, to, page);
        }
    }

    private void read(String path, String hotelId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException {
        String offset = "0";
        int pages = 0;
        while (offset != null) {
            if (++pages > 10_000) {
                throw new IOException("booking_com: more than 10000 reservation pages for hotel " + hotelId + "; giving up");
            }
            URI uri = URI.create(properties.bookingCom().baseUrl() + path + "?hotel_id=" + enc(hotelId)
                    + (roomId == null ? "" : "&room_id=" + enc(roomId))
                    + "&start_date=" + from + "&end_date=" + to + "&offset=" + enc(offset) + "&limit=" + LIMIT);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/xml").GET();
            try (InputStream in = http.callWithBearer(BookingComConnector.PLATFORM, path, tokens, request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                Page parsed = parse(in, hotelId, roomId);
                page.accept(parsed.reservations);
                offset = parsed.reservations.isEmpty() ? null : parsed.nextOffset;
            }
        }
    }

    private record Page(List<ChannelReservation> reservations, String nextOffset) {
    }

    private Page parse(InputStream in, String hotelId, String roomId) throws IOException {
        List<ChannelReservation> reservations = new ArrayList<>();
        String nextOffset = null;
        try {
            XMLStreamReader r = xml.createXMLStreamReader(in, "UTF-8");
            boolean root = true;
            Draft d = null;
            String text = null;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (root) {
                        root = false;
                        String next = r.getAttributeValue(null, "NextOffset");
                        nextOffset = next == null || next.isBlank() ? null : next.trim();
                        continue;
                    }
                    text = null;
                    switch (name) {
                        case "HotelReservation" -> d = new Draft(r.getAttributeValue(null, "ResStatus"));
                        case "UniqueID" -> { if (d != null && d.code == null) d.code = r.getAttributeValue(null, "ID"); }
                        case "RoomStay" -> { if (d != null) d.stays++; }
                        case "RoomType" -> { if (d != null) d.roomCode(r.getAttributeValue(null, "RoomTypeCode"), roomId); }
                        case "TimeSpan" -> { if (d != null) d.timeSpan(r.getAttributeValue(null, "Start"), r.getAttributeValue(null, "End")); }
                        case "GuestCount" -> { if (d != null) d.guests(r.getAttributeValue(null, "Count")); }
                        case "Total" -> { if (d != null) d.total(r.getAttributeValue(null, "AmountAfterTax"), r.getAttributeValue(null, "CurrencyCode")); }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS && d != null) {
                    text = text == null ? r.getText() : text + r.getText();
                } else if (event == XMLStreamConstants.END_ELEMENT && d != null) {
                    switch (r.getLocalName()) {
                        case "GivenName" -> d.given = text == null ? null : text.trim();
                        case "Surname" -> d.surname = text == null ? null : text.trim();
                        case "RoomStay" -> d.endStay();
                        case "HotelReservation" -> {
                            ChannelReservation reservation = d.build(hotelId, roomId);
                            if (reservation != null) {
                                reservations.add(reservation);
                            }
                            d = null;
                        }
                        default -> { }
                    }
                    text = null;
                }
            }
            r.close();
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("booking_com: unreadable reservations XML for hotel " + hotelId + ": " + e.getMessage(), e);
        }
        return new Page(reservations, nextOffset);
    }

    /** One HotelReservation while it is parsed; only the room stay of the mapping's room counts. */
    private static final class Draft {
        final String resStatus;
        String code;
        int stays;
        boolean stayIsOtherRoom;
        boolean matched;
        LocalDate start;
        LocalDate end;
        Integer guests;
        BigDecimal amount;
        String currency;
        String given;
        String surname;
        // values of the room stay being read
        LocalDate stayStart;
        LocalDate stayEnd;
        Integer stayGuests;
        BigDecimal stayAmount;
        String stayCurrency;

        Draft(String resStatus) {
            this.resStatus = resStatus;
        }

        void roomCode(String code, String roomId) {
            if (code != null && roomId != null && !code.equals(roomId)) {
                stayIsOtherRoom = true;
            }
        }

        void timeSpan(String s, String e) {
            stayStart = s == null ? null : LocalDate.parse(s);
            stayEnd = e == null ? null : LocalDate.parse(e);
        }

        void guests(String count) {
            if (count != null) {
                stayGuests = (stayGuests == null ? 0 : stayGuests) + Integer.parseInt(count.trim());
            }
        }

        void total(String amountAfterTax, String currencyCode) {
            if (amountAfterTax != null) {
                stayAmount = new BigDecimal(amountAfterTax.trim());
                stayCurrency = currencyCode;
            }
        }

        void endStay() {
            if (!stayIsOtherRoom && !matched) {
                matched = true;
                start = stayStart;
                end = stayEnd;
                guests = stayGuests;
                amount = stayAmount;
                currency = stayCurrency;
            }
            stayIsOtherRoom = false;
            stayStart = stayEnd = null;
            stayGuests = null;
            stayAmount = null;
            stayCurrency = null;
        }

        ChannelReservation build(String hotelId, String roomId) {
            if (!matched || code == null || start == null || end == null) {
                return null;
            }
            String status = switch (resStatus == null ? "Book" : resStatus) {
                case "Cancel", "Cancelled" -> "cancelled";
                case "Pending", "Requested" -> "pending";
                default -> "confirmed";
            };
            String name = ((given == null ? "" : given) + " " + (surname == null ? "" : surname)).trim();
            return new ChannelReservation("booking_com", code, hotelId, roomId, start, end, status, name, guests, amount, currency, null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
