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
 * A notification that carries the reservation itself is applied directly; a reservation alert makes
 * us pull the hotel's queue ({@link BookingComReservationInbox}), and every reservation pulled is
 * acknowledged after the commit (as stored, or as failed with why); other types are recorded only.
 */
@Component
public class BookingComWebhookEvents implements InboundEvents {

    private static final Logger log = LoggerFactory.getLogger(BookingComWebhookEvents.class);
    private final BookingComReservationInbox inbox;

    public BookingComWebhookEvents(BookingComReservationInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public EventName name(JsonNode payload, byte[] rawBody, String signedId) {
        return new EventName(signedId, payload.path("type").asText(null));
    }

    @Override
    public Changes apply(InboundEvent event) throws IOException {
        JsonNode body = event.payload();
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
        List<BookingComReservationInbox.Pulled> pulled = inbox.pull(text(body, "hotel_id"));
        return new Changes(pulled.stream().map(BookingComReservationInbox.Pulled::reservation).toList(),
                pulled.size() + " reservation(s) pulled", outcomes -> acknowledge(event.id(), pulled, outcomes));
    }

    /** After the commit: tell Booking.com which reservations were stored (and which could not be). */
    private void acknowledge(long id, List<BookingComReservationInbox.Pulled> pulled, List<Outcome> outcomes) {
        for (int i = 0; i < pulled.size(); i++) {
            BookingComReservationInbox.Pulled p = pulled.get(i);
            if (p.reservation().reservationCode() == null) {
                continue;
            }
            try {
                inbox.acknowledge(p.endpoint(), p.reservation().reservationCode(), outcomes.get(i).problem());
            } catch (IOException | RuntimeException e) {
                // not acknowledged: Booking.com keeps it queued and offers it again at the next pull
                log.warn("Webhook {}: acknowledgement of Booking.com reservation {} failed ({}); it will be pulled again",
                        id, p.reservation().reservationCode(), e.getMessage());
            }
        }
    }
}
