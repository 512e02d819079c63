package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.InboundEvent;
import io.channelsync.channel.InboundEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.List;

import static io.channelsync.channel.JsonFields.date;
import static io.channelsync.channel.JsonFields.decimal;
import static io.channelsync.channel.JsonFields.integer;
import static io.channelsync.channel.JsonFields.text;
import static io.channelsync.channel.JsonFields.upper;

/**
 * Booking.com's webhooks: the event id is the signature's ({@code webhook-id}), the type is {@code type}.
 * A CNS notification ({@link CnsNotifications}) asks for a poll or raises an alert. Through a
 * {@code standard-webhooks} relay: a notification that carries the reservation itself is applied
 * directly; a reservation alert asks for a poll of Booking.com's queue ({@link BookingComReservationPoller});
 * other types are recorded only. A polled reservation message ({@link BookingComReservationStore}) is applied
 * through here only when it was parked for an unmapped room and released: from its stored XML.
 */
@Component
public class BookingComWebhookEvents implements InboundEvents {

    private static final Logger log = LoggerFactory.getLogger(BookingComWebhookEvents.class);
    private final CnsNotifications cns;

    public BookingComWebhookEvents(CnsNotifications cns) {
        this.cns = cns;
    }

    @Override
    public EventName name(JsonNode payload, byte[] rawBody, String signedId) {
        if (CnsNotifications.isNotification(payload)) {
            // CNS: {"metadata": {"uuid", "type", ...}, "payload": {...}}
            return new EventName(signedId != null ? signedId : CnsNotifications.uuid(payload), CnsNotifications.type(payload));
        }
        return new EventName(signedId, payload.path("type").asText(null));
    }

    @Override
    public Changes apply(InboundEvent event) throws IOException {
        OtaReservations.Kind polled = OtaReservations.Kind.ofEndpoint(event.eventType());
        if (polled != null) {
            // a polled reservation message that was parked for an unmapped room, released once the room was mapped:
            // read again from its stored XML element (it was acknowledged to Booking.com when it was parked)
            List<OtaReservations.Reservation> messages = OtaReservations.read(polled, event.rawBody());
            if (messages.size() != 1) {
                throw new IOException("stored " + polled.endpoint + " message " + event.eventId() + " holds " + messages.size() + " reservations");
            }
            return Changes.store(messages.get(0).bookings(), polled.endpoint + ": applied after its room was mapped");
        }
        JsonNode body = event.payload();
        if (CnsNotifications.isNotification(body)) {
            // a poll for reservation types, an alert for the others, once the row is committed
            CnsNotifications.FollowUp followUp = cns.followUp(event);
            return new Changes(List.of(), followUp.note(), outcomes -> followUp.afterCommit().run());
        }
        JsonNode r = body.path("reservation").isObject() ? body.get("reservation") : body;
        if (r.hasNonNull("reservation_id")) {
            // the notification carries the reservation itself: apply it directly
            String status = switch (r.path("status").asText("").toLowerCase()) {
                case "cancelled", "canceled", "cancel" -> "cancelled";
                case "pending" -> "pending";
                default -> "confirmed";
            };
            String hotel = text(r, "hotel_id") != null ? text(r, "hotel_id") : text(body, "hotel_id");
            return Changes.store(List.of(new ChannelReservation(BookingComConnector.PLATFORM, text(r, "reservation_id"), hotel,
                    text(r, "room_id"), date(r, "checkin"), date(r, "checkout"), status, text(r, "guest_name"),
                    integer(r, "guests"), decimal(r, "total"), upper(text(r, "currency")), event.eventTime())), null);
        }
        String type = event.eventType() == null ? "" : event.eventType();
        if (!type.startsWith("reservation")) {
            log.debug("Booking.com webhook {} has type '{}', not a reservation alert: recorded, nothing applied", event.id(), type);
            return Changes.nothing("type '" + type + "' recorded, nothing applied");
        }
        // Booking.com never pushes reservations: an alert about them asks for a poll of its queue, after the commit
        return new Changes(List.of(), "reservation alert: Booking.com poll requested", outcomes -> cns.pollNow(event));
    }
}
