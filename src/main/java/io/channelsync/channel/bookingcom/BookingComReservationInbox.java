package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelCallException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.springframework.stereotype.Component;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Booking.com's queue of new, modified and cancelled reservations (OTA XML), pulled and acknowledged
 * after a webhook alert, with the machine-account token (reconciliation reads reservations through
 * {@code BookingComReservationsClient} instead).
 * Every call carries {@code Authorization: Bearer <BookingComTokenProvider.token()>}; on a 401 the
 * token is invalidated and the call retried once. Other non-2xx answers throw {@link ChannelCallException}.
 *
 * <h2>Pull</h2>
 * {@code GET {base-url}/hotels/ota/OTA_HotelResNotif?hotel_id={hotel_id}} (new reservations) and
 * {@code GET {base-url}/hotels/ota/OTA_HotelResModifyNotif?hotel_id={hotel_id}} (modifications and
 * cancellations), header {@code Accept: application/xml}. Each answers an {@code OTA_HotelResNotifRQ}
 * (resp. {@code OTA_HotelResModifyNotifRQ}) document; namespaces are ignored, only these parts are read:
 * <pre>{@code
 * <OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" TimeStamp="2026-11-01T10:00:00Z">
 *   <HotelReservations>
 *     <HotelReservation ResStatus="Book|Commit|Modify|Cancel" CreateDateTime="2026-11-01T10:00:00Z"
 *                       LastModifyDateTime="2026-11-01T10:00:00Z">
 *       <UniqueID Type="14" ID="4000123456"/>                      <!-- reservation id -->
 *       <RoomStays><RoomStay>                                       <!-- the first RoomStay is used -->
 *         <RoomTypes><RoomType RoomTypeCode="1234501"/></RoomTypes> <!-- room id -->
 *         <TimeSpan Start="2026-12-01" End="2026-12-05"/>           <!-- check-in, check-out -->
 *         <GuestCounts><GuestCount Count="2"/></GuestCounts>
 *         <Total AmountAfterTax="480.00" CurrencyCode="EUR"/>
 *         <BasicPropertyInfo HotelCode="123456"/>                   <!-- hotel id; optional: the alert's hotel_id -->
 *       </RoomStay></RoomStays>
 *       <ResGuests><ResGuest>... <PersonName><GivenName>Ana</GivenName><Surname>Silva</Surname></PersonName> ...</ResGuest></ResGuests>
 *     </HotelReservation>
 *   </HotelReservations>
 * </OTA_HotelResNotifRQ>
 * }</pre>
 * {@code ResStatus}: Cancel is cancelled, Pending is pending, anything else (Book, Commit, Modify) confirmed. The version time is
 * {@code LastModifyDateTime}, else {@code CreateDateTime}, else the document's {@code TimeStamp}.
 *
 * <h2>Acknowledge</h2>
 * One {@code POST} per reservation to the endpoint it was pulled from
 * ({@code .../OTA_HotelResNotif} or {@code .../OTA_HotelResModifyNotif}), {@code Content-Type: application/xml},
 * body an {@code OTA_HotelResNotifRS} (resp. {@code OTA_HotelResModifyNotifRS}):
 * <pre>{@code
 * <OTA_HotelResNotifRS xmlns="http://www.opentravel.org/OTA/2003/05" TimeStamp="..." Version="1.0">
 *   <Success/>                                                     <!-- stored -->
 *   <HotelReservations><HotelReservation>
 *     <UniqueID Type="14" ID="4000123456"/>
 *     <ResGlobalInfo><HotelReservationIDs>
 *       <HotelReservationID ResID_Type="14" ResID_Value="4000123456" ResID_Source="channel-sync"/>
 *     </HotelReservationIDs></ResGlobalInfo>
 *   </HotelReservation></HotelReservations>
 * </OTA_HotelResNotifRS>
 * }</pre>
 * or, for a reservation that could not be stored, {@code <Errors><Error Type="3" Code="450">why</Error></Errors>}
 * in place of {@code <Success/>} (and no {@code ResGlobalInfo}). Any 2xx is success.
 */
@Component
public class BookingComReservationInbox {

    public static final String NEW = "OTA_HotelResNotif";
    public static final String MODIFIED = "OTA_HotelResModifyNotif";

    /** A pulled reservation and the endpoint it came from (where it is acknowledged). */
    public record Pulled(String endpoint, ChannelReservation reservation) {
    }

    private final ChannelProperties properties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;

    public BookingComReservationInbox(ChannelProperties properties, BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
    }

    /** The hotel's pending new, modified and cancelled reservations. */
    public List<Pulled> pull(String hotelId) throws IOException {
        List<Pulled> pulled = new ArrayList<>();
        for (String endpoint : List.of(NEW, MODIFIED)) {
            String query = hotelId == null ? "" : "?hotel_id=" + URLEncoder.encode(hotelId, StandardCharsets.UTF_8);
            HttpResponse<byte[]> response = call(HttpRequest.newBuilder(uri(endpoint + query))
                    .header("Accept", "application/xml").GET());
            for (ChannelReservation r : parse(response.body(), hotelId)) {
                pulled.add(new Pulled(endpoint, r));
            }
        }
        return pulled;
    }

    /** Tells Booking.com the reservation was stored (error null) or could not be (error given). */
    public void acknowledge(String endpoint, String reservationId, String error) throws IOException {
        String id = xml(reservationId);
        String root = endpoint + "RS";
        String outcome = error == null ? "<Success/>" : "<Errors><Error Type=\"3\" Code=\"450\">" + xml(error) + "</Error></Errors>";
        String ids = error == null ? "<ResGlobalInfo><HotelReservationIDs><HotelReservationID ResID_Type=\"14\" ResID_Value=\""
                + id + "\" ResID_Source=\"channel-sync\"/></HotelReservationIDs></ResGlobalInfo>" : "";
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root
                + " xmlns=\"http://www.opentravel.org/OTA/2003/05\" TimeStamp=\"" + Instant.now() + "\" Version=\"1.0\">"
                + outcome + "<HotelReservations><HotelReservation><UniqueID Type=\"14\" ID=\"" + id + "\"/>" + ids
                + "</HotelReservation></HotelReservations></" + root + ">";
        call(HttpRequest.newBuilder(uri(endpoint)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private URI uri(String pathAndQuery) {
        return URI.create(properties.bookingCom().baseUrl() + "/hotels/ota/" + pathAndQuery);
    }

    private HttpResponse<byte[]> call(HttpRequest.Builder request) throws IOException {
        HttpRequest described = request.build();
        return http.callWithBearer(BookingComConnector.PLATFORM, described.method() + " " + described.uri().getPath(), tokens, request,
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static List<ChannelReservation> parse(byte[] xml, String alertHotelId) throws IOException {
        if (xml == null || xml.length == 0) {
            return List.of();
        }
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IOException("Booking.com answered a reservations document that is not XML: " + e.getMessage(), e);
        }
        String documentTime = doc.getDocumentElement().getAttribute("TimeStamp");
        List<ChannelReservation> reservations = new ArrayList<>();
        NodeList list = doc.getElementsByTagName("HotelReservation");
        for (int i = 0; i < list.getLength(); i++) {
            Element res = (Element) list.item(i);
            Element stay = first(res, "RoomStay");
            String resStatus = res.getAttribute("ResStatus");
            String status = "Cancel".equalsIgnoreCase(resStatus) ? "cancelled" : "Pending".equalsIgnoreCase(resStatus) ? "pending" : "confirmed";
            String hotel = attr(first(stay, "BasicPropertyInfo"), "HotelCode");
            String given = text(first(res, "GivenName"));
            String surname = text(first(res, "Surname"));
            String guestName = given == null && surname == null ? null
                    : ((given == null ? "" : given) + " " + (surname == null ? "" : surname)).trim();
            reservations.add(new ChannelReservation("booking_com",
                    attr(first(res, "UniqueID"), "ID"),
                    hotel != null ? hotel : alertHotelId,
                    attr(first(stay, "RoomType"), "RoomTypeCode"),
                    date(attr(first(stay, "TimeSpan"), "Start")),
                    date(attr(first(stay, "TimeSpan"), "End")),
                    status, guestName,
                    integer(attr(first(stay, "GuestCount"), "Count")),
                    decimal(attr(first(stay, "Total"), "AmountAfterTax")),
                    attr(first(stay, "Total"), "CurrencyCode"),
                    instant(firstNonBlank(res.getAttribute("LastModifyDateTime"), res.getAttribute("CreateDateTime"), documentTime))));
        }
        return reservations;
    }

    private static Element first(Element parent, String tag) {
        if (parent == null) {
            return null;
        }
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    private static String attr(Element e, String name) {
        return e == null || !e.hasAttribute(name) || e.getAttribute(name).isBlank() ? null : e.getAttribute(name).trim();
    }

    private static String text(Element e) {
        return e == null || e.getTextContent().isBlank() ? null : e.getTextContent().trim();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static LocalDate date(String s) {
        try {
            return s == null ? null : LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal decimal(String s) {
        try {
            return s == null ? null : new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String s) {
        try {
            return s == null ? Instant.now() : OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private static String xml(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
