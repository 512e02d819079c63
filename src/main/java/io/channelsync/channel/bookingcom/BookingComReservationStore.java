package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.sync.SyncJobs;
import io.channelsync.webhook.ChannelBookings;
import io.channelsync.webhook.UnmappedEvents;
import io.channelsync.webhook.WebhookAttempts;
import io.channelsync.webhook.WebhookLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores one polled Booking.com reservation message as its own inbound event and applies it, in ONE
 * transaction: the {@code webhook_log} row (platform {@code booking_com}, event id {@link OtaReservations.Reservation#eventId()},
 * event type the endpoint, raw_body the message's XML element, payload a JSON form), the booking(s) upserted
 * (one per room, see {@link OtaReservations.Reservation#bookings()}), and the availability sync jobs of the
 * property's other channels. The caller acknowledges to Booking.com only after this has committed.
 * <p>
 * A reservation for a hotel room no mapping names yet is PARKED (issue 11.2): the row is {@code unmapped}, committed,
 * and only then acknowledged as a success (Booking.com may drop it: it is durably ours), an alert is raised, and it
 * is applied when the room is mapped ({@link UnmappedEvents}; {@link BookingComWebhookEvents} reads its XML again).
 * <p>
 * Deduplication, as for webhooks, by event id: a message already {@code processed}, or parked ({@code unmapped}, or
 * released and {@code queued}), is not applied again (it was committed but its acknowledgement was lost: the caller
 * acknowledges it now); a message that {@code failed} (unusable) is applied once more, since Booking.com only
 * re-sends what we acknowledged as failed.
 * An older version never overwrites a newer one ({@link ChannelBookings#upsert}: version, then arrival).
 */
@Component
public class BookingComReservationStore {

    private static final Logger log = LoggerFactory.getLogger(BookingComReservationStore.class);

    /**
     * @param error     why the message could not be stored (acknowledged as failed), or null (stored or parked: success)
     * @param duplicate the message was already stored (processed or parked) by an earlier poll
     * @param parked    the message is parked for an unmapped room by this poll (its alert is raised after the commit), or null
     */
    public record Outcome(long webhookLogId, String error, boolean duplicate, UnmappedEvents.Parked parked) {
        Outcome(long webhookLogId, String error, boolean duplicate) {
            this(webhookLogId, error, duplicate, null);
        }
    }

    /** Statuses of a row that holds the message durably: acknowledged as a success, never applied again by the poll. */
    private static final java.util.Set<String> HELD = java.util.Set.of("processed", "unmapped", "queued", "received");

    private final WebhookLog webhookLog;
    private final ChannelBookings bookings;
    private final SyncJobs syncJobs;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final UnmappedEvents unmapped;
    private final WebhookAttempts attempts;

    public BookingComReservationStore(WebhookLog webhookLog, ChannelBookings bookings, SyncJobs syncJobs,
                                      TransactionTemplate tx, ObjectMapper json, UnmappedEvents unmapped, WebhookAttempts attempts) {
        this.unmapped = unmapped;
        this.attempts = attempts;
        this.webhookLog = webhookLog;
        this.bookings = bookings;
        this.syncJobs = syncJobs;
        this.tx = tx;
        this.json = json;
    }

    /** Stores and applies (or parks) the message; a database failure throws (everything rolled back). */
    public Outcome store(OtaReservations.Reservation r) {
        Instant started = Instant.now();
        Outcome outcome = tx.execute(status -> {
            Optional<Long> inserted = webhookLog.insertPolled(delivery(r));
            if (inserted.isPresent()) {
                return apply(inserted.get(), r, started);
            }
            WebhookLog.Logged logged = webhookLog.lockLive(BookingComConnector.PLATFORM, r.eventId()).orElseThrow(
                    () -> new IllegalStateException("event " + r.eventId() + " neither inserted nor found"));
            if (HELD.contains(logged.status())) {
                log.debug("Booking.com reservation {} ({}) is already held (webhook_log {}, {}): not applied again",
                        r.reservationId(), r.eventId(), logged.id(), logged.status());
                return new Outcome(logged.id(), null, true);
            }
            if ("failed".equals(logged.status()) && webhookLog.reopenFailed(logged.id())) {
                log.info("Booking.com re-sent reservation {} ({}) that failed before: applying it once more", r.reservationId(), r.eventId());
                return apply(logged.id(), r, started);
            }
            return new Outcome(logged.id(), "event " + r.eventId() + " is " + logged.status(), false);
        });
        if (outcome != null && outcome.parked() != null) {
            unmapped.alert(outcome.parked()); // after the commit: an alert may call out over HTTP
        }
        return outcome;
    }

    private Outcome apply(long id, OtaReservations.Reservation r, Instant started) {
        List<String> problems = new ArrayList<>();
        List<ChannelReservation> withoutMapping = new ArrayList<>();
        int changed = 0;
        if (r.reservationId() == null) {
            problems.add("reservation without HotelReservationID@ResID_Value");
        } else if (r.versionTime() == null) {
            problems.add("reservation " + r.reservationId() + " without a readable ResID_Date");
        } else if (r.rooms().isEmpty()) {
            problems.add("reservation " + r.reservationId() + " without RoomStay");
        }
        if (problems.isEmpty()) {
            for (ChannelReservation booking : r.bookings()) {
                String problem = storeBooking(booking, id, withoutMapping);
                if (problem == null) {
                    changed++;
                } else if (!problem.isEmpty()) {
                    problems.add(problem);
                }
            }
        }
        if (problems.isEmpty()) {
            webhookLog.markProcessed(id, r.kind().endpoint + ": " + r.bookings().size() + " room(s), " + changed + " booking(s) changed",
                    r.hotelId());
            attempts.finished(id, started, WebhookAttempts.PROCESSED, null);
            return new Outcome(id, null, false);
        }
        String error = String.join("; ", problems);
        if (!withoutMapping.isEmpty()) {
            // parked: durably ours, so acknowledged as a success after the commit; applied when the room is mapped
            UnmappedEvents.Parked parked = unmapped.park(id, BookingComConnector.PLATFORM, r.eventId(), withoutMapping.get(0), error);
            attempts.finished(id, started, WebhookAttempts.UNMAPPED, error);
            return new Outcome(id, null, false, parked);
        }
        webhookLog.markFailed(id, error, r.hotelId());
        log.warn("Booking.com reservation {} ({}, webhook_log {}) could not be stored: {}", r.reservationId(), r.eventId(), id, error);
        attempts.finished(id, started, WebhookAttempts.FAILED, error);
        return new Outcome(id, error, false);
    }

    /** @return null if the booking changed, "" if a version as new is already stored, otherwise the problem */
    private String storeBooking(ChannelReservation b, long webhookLogId, List<ChannelReservation> withoutMapping) {
        String problem = b.problem();
        if (problem != null) {
            return "invalid reservation: " + problem;
        }
        Optional<ChannelBookings.Mapping> mapping = bookings.mapping(BookingComConnector.PLATFORM, b.listingId(), b.roomId());
        if (mapping.isEmpty()) {
            withoutMapping.add(b);
            return "no mapping for hotel " + b.listingId() + " room " + b.roomId();
        }
        ChannelBookings.Stay before = bookings.lockStored(BookingComConnector.PLATFORM, b.reservationCode()).orElse(null);
        if (!bookings.upsert(mapping.get(), b, webhookLogId)) {
            log.debug("Booking.com reservation {}: a version as new as {} is already stored; nothing changed", b.reservationCode(), b.eventTime());
            return "";
        }
        // the property's other channels, over the stay (widened to the old one when the dates moved: those nights reopen)
        LocalDate from = before == null || b.checkIn().isBefore(before.checkIn()) ? b.checkIn() : before.checkIn();
        LocalDate to = before == null || b.checkOut().isAfter(before.checkOut()) ? b.checkOut() : before.checkOut();
        syncJobs.createForProperty(mapping.get().propertyId(), null, BookingComConnector.PLATFORM, from, to,
                "booking_com reservation " + b.reservationCode() + " " + b.status() + " (webhook " + webhookLogId + ")");
        log.debug("Booking.com reservation {} stored ({} to {}, {}) for property {}", b.reservationCode(), b.checkIn(), b.checkOut(),
                b.status(), mapping.get().propertyId());
        return null;
    }

    private WebhookLog.Delivery delivery(OtaReservations.Reservation r) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("endpoint", r.kind().endpoint);
        payload.put("reservation_id", r.reservationId());
        payload.put("res_id_date", r.createdAt());
        payload.put("version", r.version());
        payload.put("status", r.status());
        payload.put("hotel_id", r.hotelId());
        payload.put("total", r.total() == null ? null : r.total().toPlainString());
        payload.put("currency", r.currency());
        List<Map<String, Object>> rooms = new ArrayList<>();
        for (OtaReservations.Room room : r.rooms()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", room.index());
            m.put("room_id", room.roomId());
            m.put("check_in", room.checkIn() == null ? null : room.checkIn().toString());
            m.put("check_out", room.checkOut() == null ? null : room.checkOut().toString());
            m.put("nights", room.nights().size());
            m.put("guests", room.guests());
            m.put("total", room.total() == null ? null : room.total().toPlainString());
            rooms.add(m);
        }
        payload.put("rooms", rooms);
        JsonNode tree = json.valueToTree(payload);
        // not a signed delivery: polled by us over TLS with our token (signature_valid stays false)
        return new WebhookLog.Delivery(BookingComConnector.PLATFORM, r.eventId(), r.kind().endpoint, r.versionTime(),
                Map.of("source", "poll", "endpoint", r.kind().endpoint), r.fragment(), tree, false);
    }
}
