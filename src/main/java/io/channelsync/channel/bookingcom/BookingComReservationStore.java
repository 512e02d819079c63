package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.sync.SyncJobs;
import io.channelsync.webhook.ChannelBookings;
import io.channelsync.webhook.WebhookLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

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
 * Deduplication, as for webhooks, by event id: a message already {@code processed} is not applied again (it was
 * committed but its acknowledgement was lost: the caller acknowledges it now); a message that {@code failed}
 * (no mapping yet, unusable) is applied once more, since Booking.com only re-sends what we acknowledged as failed.
 * An older version never overwrites a newer one ({@link ChannelBookings#upsert}: version, then arrival).
 */
@Component
public class BookingComReservationStore {

    private static final Logger log = LoggerFactory.getLogger(BookingComReservationStore.class);
    static final String PLATFORM = "booking_com";

    /**
     * @param error     why the message could not be stored (acknowledged as failed), or null
     * @param duplicate the message was already processed by an earlier poll
     */
    public record Outcome(long webhookLogId, String error, boolean duplicate) {
    }

    private final WebhookLog webhookLog;
    private final ChannelBookings bookings;
    private final SyncJobs syncJobs;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public BookingComReservationStore(WebhookLog webhookLog, ChannelBookings bookings, SyncJobs syncJobs,
                                      TransactionTemplate tx, ObjectMapper json) {
        this.webhookLog = webhookLog;
        this.bookings = bookings;
        this.syncJobs = syncJobs;
        this.tx = tx;
        this.json = json;
    }

    /** Stores and applies the message; a database failure throws (everything rolled back). */
    public Outcome store(OtaReservations.Reservation r) {
        return tx.execute(status -> {
            Optional<Long> inserted = webhookLog.insertPolled(delivery(r));
            if (inserted.isPresent()) {
                return apply(inserted.get(), r);
            }
            WebhookLog.Logged logged = webhookLog.lockLive(PLATFORM, r.eventId()).orElseThrow(
                    () -> new IllegalStateException("event " + r.eventId() + " neither inserted nor found"));
            if ("processed".equals(logged.status())) {
                log.info("Booking.com reservation {} ({}) was already stored (webhook_log {}): not applied again",
                        r.reservationId(), r.eventId(), logged.id());
                return new Outcome(logged.id(), null, true);
            }
            if ("failed".equals(logged.status()) && webhookLog.reopenFailed(logged.id())) {
                log.info("Booking.com re-sent reservation {} ({}) that failed before: applying it once more", r.reservationId(), r.eventId());
                return apply(logged.id(), r);
            }
            return new Outcome(logged.id(), "event " + r.eventId() + " is " + logged.status(), false);
        });
    }

    private Outcome apply(long id, OtaReservations.Reservation r) {
        List<String> problems = new ArrayList<>();
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
                String problem = storeBooking(booking, id);
                if (problem == null) {
                    changed++;
                } else if (!problem.isEmpty()) {
                    problems.add(problem);
                }
            }
        }
        if (problems.isEmpty()) {
            webhookLog.markProcessed(id, r.kind().endpoint + ": " + r.bookings().size() + " room(s), " + changed + " booking(s) changed");
            return new Outcome(id, null, false);
        }
        String error = String.join("; ", problems);
        webhookLog.markFailed(id, error);
        log.warn("Booking.com reservation {} ({}, webhook_log {}) could not be stored: {}", r.reservationId(), r.eventId(), id, error);
        return new Outcome(id, error, false);
    }

    /** @return null if the booking changed, "" if a version as new is already stored, otherwise the problem */
    private String storeBooking(ChannelReservation b, long webhookLogId) {
        String problem = b.problem();
        if (problem != null) {
            return "invalid reservation: " + problem;
        }
        Optional<ChannelBookings.Mapping> mapping = bookings.mapping(PLATFORM, b.listingId(), b.roomId());
        if (mapping.isEmpty()) {
            return "no mapping for hotel " + b.listingId() + " room " + b.roomId();
        }
        ChannelBookings.Stay before = bookings.lockStored(PLATFORM, b.reservationCode()).orElse(null);
        if (!bookings.upsert(mapping.get(), b, webhookLogId)) {
            log.info("Booking.com reservation {}: a version as new as {} is already stored; nothing changed", b.reservationCode(), b.eventTime());
            return "";
        }
        // the property's other channels, over the stay (widened to the old one when the dates moved: those nights reopen)
        LocalDate from = before == null || b.checkIn().isBefore(before.checkIn()) ? b.checkIn() : before.checkIn();
        LocalDate to = before == null || b.checkOut().isAfter(before.checkOut()) ? b.checkOut() : before.checkOut();
        syncJobs.createForProperty(mapping.get().propertyId(), null, PLATFORM, from, to,
                "booking_com reservation " + b.reservationCode() + " " + b.status() + " (webhook " + webhookLogId + ")");
        log.info("Booking.com reservation {} stored ({} to {}, {}) for property {}", b.reservationCode(), b.checkIn(), b.checkOut(),
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
        return new WebhookLog.Delivery(PLATFORM, r.eventId(), r.kind().endpoint, r.versionTime(),
                Map.of("source", "poll", "endpoint", r.kind().endpoint), r.fragment(), tree, false);
    }
}
