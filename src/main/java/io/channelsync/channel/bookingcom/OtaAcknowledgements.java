package io.channelsync.channel.bookingcom;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes the acknowledgement Booking.com expects after a reservation message was processed
 * ({@code POST OTA_HotelResNotif} with an {@code OTA_HotelResNotifRS}, {@code POST OTA_HotelResModifyNotif}
 * with an {@code OTA_HotelResModifyNotifRS}; pages named in docs/channels.md). Pure: no I/O.
 * <pre>{@code
 * <OTA_HotelResNotifRS xmlns="http://www.opentravel.org/OTA/2003/05" TimeStamp="2026-11-27T09:15:04+00:00"
 *                      Target="Production" Version="2.001">
 *   <Success/>                                      <!-- or <Errors><Error Type="3" Code="450" ShortText="..."/></Errors> -->
 *   <HotelReservations><HotelReservation><ResGlobalInfo><HotelReservationIDs>
 *     <HotelReservationID ResID_Value="4100200301" ResID_Date="2026-11-27T09:14:40"/>
 *   </HotelReservationIDs></ResGlobalInfo></HotelReservation></HotelReservations>
 * </OTA_HotelResNotifRS>
 * }</pre>
 * For modifications the root is {@code OTA_HotelResModifyNotifRS} and the container
 * {@code HotelResModifies/HotelResModify}. The successes of one GET go in one acknowledgement, the
 * {@code HotelReservationID} tag repeated once per message (the pages allow "separate requests or one request
 * using the HotelReservationID tag multiple times"): a GET of 250 messages is one POST, not 250. An error
 * acknowledgement is one per message (its reason is its own) and carries the reservation id too, so Booking.com
 * knows which message to keep queued.
 */
public final class OtaAcknowledgements {

    static final String VERSION = "2.001";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private OtaAcknowledgements() {
    }

    /** One message to acknowledge: its {@code ResID_Value} and, when it had one, its {@code ResID_Date}. */
    public record Message(String reservationId, String createdAt) {
    }

    /**
     * These messages of one endpoint in one acknowledgement, the {@code HotelReservationID} tag repeated.
     *
     * @param error null for success of all; otherwise why they could not be stored (kept queued)
     */
    public static String write(OtaReservations.Kind kind, List<Message> messages, String error, String target, Instant now) {
        String root = kind.endpoint + "RS";
        String container = kind == OtaReservations.Kind.NEW ? "HotelReservations" : "HotelResModifies";
        String item = kind == OtaReservations.Kind.NEW ? "HotelReservation" : "HotelResModify";
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append('<').append(root).append(" xmlns=\"http://www.opentravel.org/OTA/2003/05\" TimeStamp=\"")
                .append(STAMP.format(now.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)))
                .append("\" Target=\"").append(escape(target)).append("\" Version=\"").append(VERSION).append("\">\n");
        if (error == null) {
            xml.append("  <Success/>\n");
        } else {
            xml.append("  <Errors><Error Type=\"3\" Code=\"450\" ShortText=\"").append(escape(shorten(error)))
                    .append("\"/></Errors>\n");
        }
        xml.append("  <").append(container).append("><").append(item).append("><ResGlobalInfo><HotelReservationIDs>");
        for (Message m : messages) {
            xml.append("\n    <HotelReservationID ResID_Value=\"").append(escape(m.reservationId())).append('"');
            if (m.createdAt() != null) {
                xml.append(" ResID_Date=\"").append(escape(m.createdAt())).append('"');
            }
            xml.append("/>");
        }
        xml.append("\n  </HotelReservationIDs></ResGlobalInfo></").append(item).append("></").append(container).append(">\n")
                .append("</").append(root).append(">\n");
        return xml.toString();
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
