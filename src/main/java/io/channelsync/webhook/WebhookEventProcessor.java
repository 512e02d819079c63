package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.sync.SyncJobs;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one stored webhook event (route {@code webhook-processing}, header {@code webhookLogId}).
 * In one transaction: lock the {@code queued} row ({@code FOR UPDATE SKIP LOCKED}, so an event is
 * applied by exactly one consumer, however often it was enqueued), upsert the reservation(s) into
 * {@code bookings}, create the availability sync jobs for the property's other channels, and mark
 * the row {@code processed} (or {@code failed} for an unknown listing or an unusable reservation).
 * A booking and its jobs commit together, so a crash can never keep one and lose the other; the
 * jobs are enqueued after the commit (a job whose message dies with the process is re-enqueued by
 * the sync lease sweep). A Booking.com alert about reservations asks for a poll of Booking.com's queue
 * after the commit (Booking.com never pushes reservations: issue 10). An exception rolls
 * everything back and goes to the route's error handler (retries, then {@code direct:webhook-failed}).
 */
@Component("webhookEventProcessor")
public class WebhookEventProcessor {

    static final Set<String> AIRBNB_RESERVATION_ACTIONS = Set.of("reservation_requested", "reservation_acceptance_confirmation",
            "reservation_alteration_confirmation", "reservation_cancellation_confirmation", "reservation_request_voided");
    private static final Logger log = LoggerFactory.getLogger(WebhookEventProcessor.class);

    private final WebhookLog webhookLog;
    private final ChannelBookings bookings;
    private final SyncJobs syncJobs;
    private final TransactionTemplate tx;
    private final ProducerTemplate camel;

    public WebhookEventProcessor(WebhookLog webhookLog, ChannelBookings bookings, SyncJobs syncJobs, TransactionTemplate tx,
                                 ProducerTemplate camel) {
        this.webhookLog = webhookLog;
        this.bookings = bookings;
        this.syncJobs = syncJobs;
        this.tx = tx;
        this.camel = camel;
    }

    private static final class Outcome {
        final List<String> problems = new ArrayList<>();
        boolean pollBookingCom;
        String note;
    }

    public void process(Exchange exchange) {
        long id = exchange.getIn().getHeader(WebhookQueue.LOG_ID, Long.class);
        Outcome outcome = tx.execute(status -> apply(id));
        if (outcome == null) {
            log.debug("Webhook {} is not queued any more (processed, failed, or held by another consumer): skipped", id);
            return;
        }
        if (outcome.pollBookingCom) {
            // issue 10: Booking.com's reservations are read from its queue by the poll route (BookingComReservationPoller)
            camel.sendBody("direct:booking-com-poll-now", null);
        }
    }

    private Outcome apply(long id) {
        Optional<WebhookLog.Event> found = webhookLog.lockQueued(id);
        if (found.isEmpty()) {
            return null;
        }
        WebhookLog.Event event = found.get();
        Outcome outcome = new Outcome();
        if ("airbnb".equals(event.platform())) {
            applyAirbnb(event, outcome);
        } else {
            applyBookingCom(event, outcome);
        }
        if (outcome.problems.isEmpty()) {
            webhookLog.markProcessed(id, outcome.note);
        } else {
            String error = String.join("; ", outcome.problems);
            webhookLog.markFailed(id, error);
            log.warn("{} webhook {} (event {}) failed: {}", event.platform(), id, event.eventId(), error);
        }
        return outcome;
    }

    private void applyAirbnb(WebhookLog.Event event, Outcome outcome) {
        String action = event.eventType();
        if ("test_notification".equals(action)) {
            log.info("Airbnb test notification {} received", event.id());
            outcome.note = "test notification";
            return;
        }
        if (action == null || !AIRBNB_RESERVATION_ACTIONS.contains(action)) {
            log.info("Airbnb webhook {} has action '{}', which is not a reservation action: recorded, nothing applied", event.id(), action);
            outcome.note = "action '" + action + "' recorded, nothing applied";
            return;
        }
        JsonNode r = event.payload().path("reservation");
        String status = switch (action) {
            case "reservation_cancellation_confirmation", "reservation_request_voided" -> "cancelled";
            default -> switch (r.path("status_type").asText("")) {
                case "accepted" -> "confirmed";
                case "pending" -> "pending";
                case "cancelled", "denied" -> "cancelled";
                default -> "reservation_requested".equals(action) ? "pending" : "confirmed";
            };
        };
        String guest = (r.path("guest_first_name").asText("") + " " + r.path("guest_last_name").asText("")).trim();
        ChannelReservation reservation = new ChannelReservation("airbnb", text(r, "confirmation_code"), text(r, "listing_id"), null,
                date(r, "start_date"), date(r, "end_date"), status, guest.isEmpty() ? null : guest,
                r.hasNonNull("number_of_guests") ? r.get("number_of_guests").asInt() : null,
                decimal(r, "expected_payout_amount_accurate"), upper(text(r, "host_currency")), event.eventTime());
        store(reservation, event.id(), outcome);
    }

    private void applyBookingCom(WebhookLog.Event event, Outcome outcome) {
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
            store(new ChannelReservation("booking_com", text(r, "reservation_id"), hotel, text(r, "room_id"),
                    date(r, "checkin"), date(r, "checkout"), status, text(r, "guest_name"),
                    r.hasNonNull("guests") ? r.get("guests").asInt() : null, decimal(r, "total"), upper(text(r, "currency")),
                    event.eventTime()), event.id(), outcome);
            return;
        }
        String type = event.eventType() == null ? "" : event.eventType();
        if (!type.startsWith("reservation")) {
            log.info("Booking.com webhook {} has type '{}', not a reservation alert: recorded, nothing applied", event.id(), type);
            outcome.note = "type '" + type + "' recorded, nothing applied";
            return;
        }
        // issue 10: Booking.com never pushes reservations; an alert about them asks for a poll (after the commit)
        outcome.pollBookingCom = true;
        outcome.note = "reservation alert: Booking.com poll requested";
    }

    /** Upserts one reservation, or records why it cannot be stored. */
    private void store(ChannelReservation r, long webhookLogId, Outcome outcome) {
        String problem = r.problem();
        if (problem != null) {
            outcome.problems.add("invalid reservation: " + problem);
            return;
        }
        Optional<ChannelBookings.Mapping> mapping = bookings.mapping(r.platform(), r.listingId(), r.roomId());
        if (mapping.isEmpty()) {
            outcome.problems.add("no mapping for listing " + r.listingId() + (r.roomId() == null ? "" : " room " + r.roomId()));
            return;
        }
        ChannelBookings.Stay before = bookings.lockStored(r.platform(), r.reservationCode()).orElse(null);
        if (bookings.upsert(mapping.get(), r, webhookLogId)) {
            createSyncJobs(mapping.get(), r, before, webhookLogId);
            log.info("{} reservation {} stored ({} to {}, {}) for property {}", r.platform(), r.reservationCode(),
                    r.checkIn(), r.checkOut(), r.status(), mapping.get().propertyId());
        } else {
            log.info("{} reservation {}: a version as new as {} is already stored; nothing changed", r.platform(),
                    r.reservationCode(), r.eventTime());
        }
    }

    /**
     * Jobs for the property's other channels over the stay, widened to the old stay when an
     * alteration moved it (those nights reopen). Part of the booking's transaction.
     */
    private void createSyncJobs(ChannelBookings.Mapping mapping, ChannelReservation r, ChannelBookings.Stay before, long webhookLogId) {
        LocalDate from = before == null || r.checkIn().isBefore(before.checkIn()) ? r.checkIn() : before.checkIn();
        LocalDate to = before == null || r.checkOut().isAfter(before.checkOut()) ? r.checkOut() : before.checkOut();
        syncJobs.createForProperty(mapping.propertyId(), null, r.platform(), from, to,
                r.platform() + " reservation " + r.reservationCode() + " " + r.status() + " (webhook " + webhookLogId + ")");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase();
    }

    private static LocalDate date(JsonNode node, String field) {
        try {
            String s = text(node, field);
            return s == null ? null : LocalDate.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        try {
            String s = text(node, field);
            return s == null ? null : new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

}
