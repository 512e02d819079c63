package io.channelsync.webhook;

import io.channelsync.alert.Alerts;
import io.channelsync.channel.ChannelReservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reservations for a listing that is not mapped yet are parked, not lost (issue 11.2). The processing marks
 * such an event {@code unmapped} inside its transaction ({@link WebhookLog#markUnmapped}); after the commit
 * this raises the alert ({@value #ALERT_KIND}), once per listing while it has events waiting (a burst of bookings
 * for a listing not mapped yet is one alert, and one log line, not one per event). When a mapping is created or changed, its parked events are
 * released after the mapping's commit: back to {@code queued}, in the channel's order, and onto the webhook
 * queue, where the processing applies them like any event (an older version never overwrites a newer one, so
 * the outcome is the version order's whatever order the consumers run in). The recovery sweep releases too
 * ({@link #releaseAll}), so a release lost with a crash, or a mapping made another way, is caught up.
 */
@Component
public class UnmappedEvents {

    public static final String ALERT_KIND = "reservation_unmapped";
    private static final Logger log = LoggerFactory.getLogger(UnmappedEvents.class);

    /** An event parked for the listing (and room) of one of its reservations; {@code first}: no other event of the listing waits. */
    public record Parked(long webhookLogId, String platform, String eventId, ChannelReservation reservation, boolean first) {
    }

    private final WebhookLog webhookLog;
    private final WebhookQueue queue;
    private final Alerts alerts;

    public UnmappedEvents(WebhookLog webhookLog, WebhookQueue queue, Alerts alerts) {
        this.webhookLog = webhookLog;
        this.queue = queue;
        this.alerts = alerts;
    }

    /** Inside the caller's transaction: the event waits for a mapping of the reservation's listing (and room). */
    public Parked park(long webhookLogId, String platform, String eventId, ChannelReservation r, String error) {
        boolean first = webhookLog.markUnmapped(webhookLogId, r.listingId(), r.roomId(), error);
        log.debug("{} event {} (webhook_log {}) parked as unmapped: {}", platform, eventId, webhookLogId, error);
        return new Parked(webhookLogId, platform, eventId, r, first);
    }

    /**
     * After the commit (an alert may call out over HTTP: never inside a transaction), for the listing's first parked
     * event only; the others are listed by {@code GET /api/v1/unmapped-events}. A failure is logged only.
     */
    public void alert(Parked p) {
        if (!p.first()) {
            return;
        }
        ChannelReservation r = p.reservation();
        String where = "listing " + r.listingId() + (r.roomId() == null ? "" : " room " + r.roomId());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("webhook_log_id", p.webhookLogId());
        details.put("platform", p.platform());
        details.put("event_id", p.eventId());
        details.put("listing_id", r.listingId());
        details.put("room_id", r.roomId());
        details.put("reservation_code", r.reservationCode());
        details.put("check_in", r.checkIn() == null ? null : r.checkIn().toString());
        details.put("check_out", r.checkOut() == null ? null : r.checkOut().toString());
        details.put("status", r.status());
        try {
            alerts.raise(null, null, Alerts.Severity.critical, ALERT_KIND, p.platform() + " reservation " + r.reservationCode() + " ("
                    + r.checkIn() + " to " + r.checkOut() + ", " + r.status() + ") is for " + where + ", which no mapping names: "
                    + "parked as webhook_log " + p.webhookLogId() + " (GET /api/v1/unmapped-events); it is applied as soon as the "
                    + where + " is mapped, and until then the property's other channels do not know of it (further events of this "
                    + "listing are parked without another alert while it waits)", details);
        } catch (RuntimeException e) {
            log.error("{} reservation {} parked as webhook_log {}, and its alert could not be raised: {}", p.platform(),
                    r.reservationCode(), p.webhookLogId(), e.getMessage());
        }
    }

    /** After a mapping's commit: its parked events, back onto the queue. Never throws: the sweep catches up. */
    public int release(UUID mappingId) {
        try {
            return offer(webhookLog.releaseUnmapped(mappingId), "mapping " + mappingId);
        } catch (RuntimeException e) {
            log.warn("Parked events of mapping {} not released now ({}); the recovery sweep releases them", mappingId, e.getMessage());
            return 0;
        }
    }

    /** Every parked event whose listing is mapped by now (the recovery sweep). */
    public int releaseAll() {
        return offer(webhookLog.releaseUnmapped(null), "the recovery sweep");
    }

    private int offer(List<Long> ids, String by) {
        int offered = queue.offer(ids); // queue full: the rest are released, so any sweep takes them at once
        if (!ids.isEmpty()) {
            log.info("Released {} parked (unmapped) event(s) by {}, in the channel's order: {}", ids.size(), by, ids);
        }
        return offered;
    }
}
