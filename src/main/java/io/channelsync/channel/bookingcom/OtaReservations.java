package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelReservation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads Booking.com's reservation messages: the {@code OTA_HotelResNotifRQ} answered by
 * {@code GET OTA_HotelResNotif} (new reservations) and the {@code OTA_HotelResModifyNotifRQ} answered by
 * {@code GET OTA_HotelResModifyNotif} (modifications and cancellations). Pure: no I/O, no Spring.
 * Elements are matched by local name (namespaces ignored); DTDs and external entities are refused.
 * <p>
 * What is read, per {@code HotelReservation} (resp. {@code HotelResModify}), following the reference pages
 * named in docs/channels.md:
 * <ul>
 *   <li>id: {@code ResGlobalInfo/HotelReservationIDs/HotelReservationID@ResID_Value}; creation:
 *       {@code @ResID_Date} ({@code YYYY-MM-DDTHH:MM:SS}, read as UTC when it has no offset)</li>
 *   <li>version: the modification's {@code @LastModifyDateTime} when present, else {@code ResID_Date}. Versions
 *       order the messages of one reservation; arrival order only breaks ties</li>
 *   <li>per {@code RoomStays/RoomStay}: {@code @IndexNumber}, {@code RoomTypes/RoomType@RoomTypeCode} (room id),
 *       {@code BasicPropertyInfo@HotelCode} (hotel id), the nights from {@code RoomRates/RoomRate@EffectiveDate}
 *       (one per night: check-in is the first, check-out the day after the last), the sum of
 *       {@code GuestCounts/GuestCount@Count}, and {@code Total}</li>
 *   <li>amounts: {@code @AmountAfterTax} when present, else {@code @AmountBeforeTax} (which one Booking.com sends
 *       depends on the property's tax setting), integers before {@code @DecimalPlaces}; {@code @CurrencyCode}</li>
 *   <li>status: a {@code ResStatus} naming a cancellation ({@code Cancelled}, {@code Cancel}) is cancelled;
 *       anything else (new or modified) is confirmed</li>
 * </ul>
 */
public final class OtaReservations {

    /** Where a message came from and is acknowledged: its endpoint name. */
    public enum Kind {
        NEW("OTA_HotelResNotif", "HotelReservation"),
        MODIFIED("OTA_HotelResModifyNotif", "HotelResModify");

        public final String endpoint;
        final String element;

        Kind(String endpoint, String element) {
            this.endpoint = endpoint;
            this.element = element;
        }

        /** The kind whose endpoint this is (a polled message's {@code webhook_log.event_type}), or null. */
        public static Kind ofEndpoint(String endpoint) {
            for (Kind kind : values()) {
                if (kind.endpoint.equals(endpoint)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** One room of a reservation. */
    public record Room(String index, String roomId, String hotelId, List<LocalDate> nights, Integer guests,
                       BigDecimal total, String currency) {

        public LocalDate checkIn() {
            return nights.isEmpty() ? null : nights.get(0);
        }

        public LocalDate checkOut() {
            return nights.isEmpty() ? null : nights.get(nights.size() - 1).plusDays(1);
        }
    }

    /**
     * One reservation message.
     *
     * @param version     the version as Booking.com wrote it (part of the event id)
     * @param versionTime the version as an instant (orders the versions of one reservation); null if unreadable
     * @param fragment    the message's own XML element, without payment card data ({@code Guarantee})
     */
    public record Reservation(Kind kind, String reservationId, String createdAt, String version, Instant versionTime,
                              String status, String guestName, List<Room> rooms, BigDecimal total, String currency,
                              byte[] fragment) {

        /** The hotel: the first room's {@code HotelCode} (a reservation is for exactly one property). */
        public String hotelId() {
            return rooms.stream().map(Room::hotelId).filter(h -> h != null).findFirst().orElse(null);
        }

        /** Dedup key: the same message delivered again has the same id. */
        public String eventId() {
            return reservationId + "@" + version + (kind == Kind.MODIFIED ? "/modify" : "");
        }

        /**
         * The PMS bookings: one per room. A single-room reservation keeps Booking.com's id as its code; the rooms
         * of a multi-room reservation are {@code <id>-<IndexNumber>} (each room is its own unit, with its own
         * mapping, nights and guests).
         */
        public List<ChannelReservation> bookings() {
            List<ChannelReservation> out = new ArrayList<>();
            boolean single = rooms.size() == 1;
            for (int i = 0; i < rooms.size(); i++) {
                Room room = rooms.get(i);
                String code = single ? reservationId : reservationId + "-" + (room.index() != null ? room.index() : String.valueOf(i + 1));
                BigDecimal amount = room.total() != null ? room.total() : single ? total : null;
                String cur = room.currency() != null ? room.currency() : currency;
                out.add(new ChannelReservation(BookingComConnector.PLATFORM, code, room.hotelId(), room.roomId(), room.checkIn(), room.checkOut(),
                        status, guestName, room.guests(), amount, cur, versionTime));
            }
            return out;
        }
    }

    private OtaReservations() {
    }

    /** Every reservation message of one GET answer; empty for an empty body or a document without any. */
    public static List<Reservation> read(Kind kind, byte[] xml) throws IOException {
        if (xml == null || xml.length == 0) {
            return List.of();
        }
        Document doc = parse(xml);
        // the elements copied out of the live NodeList first: a fragment's edit (its Guarantee removed) changes the
        // document, and the NodeList then walks it again from the start at every item(i)
        List<Element> messages = elements(doc.getElementsByTagNameNS("*", kind.element));
        Transformer serialiser = serialiser(); // one per GET: creating one costs more than a message's serialisation
        List<Reservation> out = new ArrayList<>(messages.size());
        for (Element message : messages) {
            out.add(reservation(kind, message, serialiser));
        }
        return out;
    }

    private static Reservation reservation(Kind kind, Element res, Transformer serialiser) throws IOException {
        Element globalInfo = child(res, "ResGlobalInfo");
        Element id = first(globalInfo, "HotelReservationID");
        String reservationId = attr(id, "ResID_Value");
        String created = attr(id, "ResID_Date");
        String modified = attr(res, "LastModifyDateTime");
        String version = modified != null ? modified : created;
        String resStatus = attr(res, "ResStatus");
        String status = resStatus != null && resStatus.toLowerCase().startsWith("cancel") ? "cancelled" : "confirmed";

        List<Room> rooms = new ArrayList<>();
        Element roomStays = child(res, "RoomStays");
        for (Element stay : children(roomStays, "RoomStay")) {
            TreeSet<LocalDate> nights = new TreeSet<>();
            for (Element rate : all(child(stay, "RoomRates"), "RoomRate")) {
                LocalDate night = date(attr(rate, "EffectiveDate"));
                if (night != null) {
                    nights.add(night);
                }
            }
            Integer guests = null;
            for (Element count : all(child(stay, "GuestCounts"), "GuestCount")) {
                Integer n = integer(attr(count, "Count"));
                if (n != null) {
                    guests = (guests == null ? 0 : guests) + n;
                }
            }
            Element total = child(stay, "Total");
            rooms.add(new Room(attr(stay, "IndexNumber"), attr(first(child(stay, "RoomTypes"), "RoomType"), "RoomTypeCode"),
                    attr(child(stay, "BasicPropertyInfo"), "HotelCode"), List.copyOf(nights), guests, amount(total),
                    attr(total, "CurrencyCode")));
        }
        Element globalTotal = child(globalInfo, "Total");
        Element person = first(child(res, "ResGuests"), "PersonName");
        String given = text(first(person, "GivenName"));
        String surname = text(first(person, "Surname"));
        String guestName = given == null && surname == null ? null
                : ((given == null ? "" : given) + " " + (surname == null ? "" : surname)).trim();
        return new Reservation(kind, reservationId, created, version, instant(version), status, guestName, List.copyOf(rooms),
                amount(globalTotal), attr(globalTotal, "CurrencyCode"), fragment(res, serialiser));
    }

    /**
     * {@code AmountAfterTax} when present, else {@code AmountBeforeTax}, divided by 10^{@code DecimalPlaces}.
     * A value that already carries a decimal point (a {@code Total} without {@code DecimalPlaces}) is taken as is.
     */
    static BigDecimal amount(Element total) {
        if (total == null) {
            return null;
        }
        String raw = attr(total, "AmountAfterTax");
        if (raw == null) {
            raw = attr(total, "AmountBeforeTax");
        }
        if (raw == null) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(raw);
            Integer places = integer(attr(total, "DecimalPlaces"));
            return places == null || raw.contains(".") ? value : value.movePointLeft(places);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS} (UTC) or with an offset; null if neither. */
    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    static Document parse(byte[] xml) throws IOException {
        try {
            // the JDK's own parser, without newInstance()'s service lookup through every jar (a poll's top cost in the profile)
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IOException("Booking.com answered a reservations document that is not XML: " + e.getMessage(), e);
        }
    }

    /** The message's element as bytes, with {@code Guarantee} (payment card data) removed: card data is never stored. */
    private static byte[] fragment(Element res, Transformer serialiser) throws IOException {
        Element copy = (Element) res.cloneNode(true);
        for (Element guarantee : all(copy, "Guarantee")) {
            guarantee.getParentNode().removeChild(guarantee);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serialiser.transform(new DOMSource(copy), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IOException("cannot serialise a reservation element: " + e.getMessage(), e);
        }
    }

    /** Writes an element as UTF-8 XML without a declaration; not thread-safe (one per read). */
    private static Transformer serialiser() throws IOException {
        try {
            Transformer transformer = TransformerFactory.newDefaultInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            return transformer;
        } catch (Exception e) {
            throw new IOException("cannot create an XML serialiser: " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> all(Element parent, String name) {
        return parent == null ? new ArrayList<>() : elements(parent.getElementsByTagNameNS("*", name));
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> out = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static Element first(Element parent, String name) {
        List<Element> found = all(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String attr(Element e, String name) {
        return e == null || !e.hasAttribute(name) || e.getAttribute(name).isBlank() ? null : e.getAttribute(name).trim();
    }

    private static String text(Element e) {
        return e == null || e.getTextContent().isBlank() ? null : e.getTextContent().trim();
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
}
