package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.InboundEvent;
import io.channelsync.channel.InboundEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static io.channelsync.channel.JsonFields.date;
import static io.channelsync.channel.JsonFields.decimal;
import static io.channelsync.channel.JsonFields.instant;
import static io.channelsync.channel.JsonFields.integer;
import static io.channelsync.channel.JsonFields.text;
import static io.channelsync.channel.JsonFields.upper;

/**
 * Airbnb's webhooks: the event id is the signature's, else the body's {@code event_id}, else the
 * SHA-256 of the exact bytes (an identical redelivery is then a duplicate); the type is {@code action}.
 * A reservation action carries the reservation under {@code reservation}; other actions are recorded
 * and nothing is applied.
 * <p>
 * The version of the reservation (what orders its events, {@link ChannelReservation#eventTime()}) is the
 * reservation's own {@code updated_at} when it carries one, else the signed time of the delivery. The
 * signed time is when the delivery was signed, not when the reservation changed: a channel's retry of an
 * old event is signed afresh, so only {@code updated_at} keeps a retried acceptance from overtaking the
 * cancellation that followed it.
 */
@Component
public class AirbnbWebhookEvents implements InboundEvents {

    static final Set<String> RESERVATION_ACTIONS = Set.of("reservation_requested", "reservation_acceptance_confirmation",
            "reservation_alteration_confirmation", "reservation_cancellation_confirmation", "reservation_request_voided");
    private static final Logger log = LoggerFactory.getLogger(AirbnbWebhookEvents.class);

    @Override
    public EventName name(JsonNode payload, byte[] rawBody, String signedId) {
        String id = signedId;
        if (id == null) {
            JsonNode given = payload.get("event_id");
            id = given != null && given.isValueNode() && !given.asText().isBlank() ? given.asText() : sha256(rawBody);
        }
        return new EventName(id, payload.path("action").asText(null));
    }

    @Override
    public Changes apply(InboundEvent event) {
        String action = event.eventType();
        if ("test_notification".equals(action)) {
            log.debug("Airbnb test notification {} received", event.id());
            return Changes.nothing("test notification");
        }
        if (action == null || !RESERVATION_ACTIONS.contains(action)) {
            log.debug("Airbnb webhook {} has action '{}', which is not a reservation action: recorded, nothing applied", event.id(), action);
            return Changes.nothing("action '" + action + "' recorded, nothing applied");
        }
        JsonNode r = event.payload().path("reservation");
        // status_type: AirbnbStatus maps every documented value; an unknown one is kept, logged, never thrown
        String statusType = text(r, "status_type");
        String status = switch (action) {
            case "reservation_cancellation_confirmation", "reservation_request_voided" -> "cancelled";
            default -> statusType != null ? AirbnbStatus.toPms(statusType, text(r, "confirmation_code"))
                    : "reservation_requested".equals(action) ? "pending" : "confirmed";
        };
        String note = statusType != null && !AirbnbStatus.known(statusType)
                ? "unknown status_type '" + statusType + "' kept as " + AirbnbStatus.UNKNOWN_KEPT_AS : null;
        String guest = (r.path("guest_first_name").asText("") + " " + r.path("guest_last_name").asText("")).trim();
        return Changes.store(List.of(new ChannelReservation(AirbnbConnector.PLATFORM, text(r, "confirmation_code"),
                text(r, "listing_id"), null, date(r, "start_date"), date(r, "end_date"), status, guest.isEmpty() ? null : guest,
                integer(r, "number_of_guests"), decimal(r, "expected_payout_amount_accurate"), upper(text(r, "host_currency")),
                version(r, event))), note);
    }

    /** The reservation's {@code updated_at}, else the signed time of the delivery. */
    static Instant version(JsonNode reservation, InboundEvent event) {
        Instant updated = instant(reservation, "updated_at");
        return updated != null ? updated : event.eventTime();
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
