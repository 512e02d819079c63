package io.channelsync.webhook;

import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.Channels;
import io.channelsync.channel.InboundEvent;
import io.channelsync.channel.InboundEvents;
import io.channelsync.sync.SyncJobs;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one stored inbound event (route {@code webhook-processing}, header {@code webhookLogId}).
 * First, with no transaction open, ask the platform's connector what the queued event means
 * ({@link InboundEvents#apply}: it may call its channel, e.g. Booking.com's pull, and no channel call
 * runs while a transaction or a row lock is open). Then in one transaction: lock the {@code queued}
 * row ({@link WebhookLog#lockQueued}: it waits for another holder, then checks the status again, so an event is
 * applied by exactly one consumer, however often it was enqueued; a row another consumer finished meanwhile is
 * skipped), upsert the reservation(s) into
 * {@code bookings}, create the availability sync jobs for the property's other channels, and mark
 * the row {@code processed} ({@code unmapped} when a reservation names a listing no mapping names yet: parked
 * until it is mapped, see {@link UnmappedEvents}; {@code failed} for an unusable reservation).
 * A booking and its jobs commit together, so a crash can never keep one and lose the other; the
 * jobs are enqueued after the commit (a job whose message dies with the process is re-enqueued by
 * the sync lease sweep). After the commit, the connector's after-commit action (Booking.com's
 * acknowledgements). An exception rolls everything back and goes to the route's error handler
 * (retries, then {@code direct:webhook-failed}).
 */
@Component("webhookEventProcessor")
public class WebhookEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventProcessor.class);

    private final WebhookLog webhookLog;
    private final ChannelBookings bookings;
    private final Channels channels;
    private final SyncJobs syncJobs;
    private final TransactionTemplate tx;
    private final UnmappedEvents unmapped;
    private final WebhookAttempts attempts;

    public WebhookEventProcessor(WebhookLog webhookLog, ChannelBookings bookings, Channels channels,
                                 SyncJobs syncJobs, TransactionTemplate tx, UnmappedEvents unmapped, WebhookAttempts attempts) {
        this.unmapped = unmapped;
        this.attempts = attempts;
        this.webhookLog = webhookLog;
        this.bookings = bookings;
        this.channels = channels;
        this.syncJobs = syncJobs;
        this.tx = tx;
    }

    /** What the transaction did: the connector's after-commit action, what became of each reservation, the parking if any. */
    private record Applied(InboundEvents.AfterCommit afterCommit, List<InboundEvents.Outcome> outcomes, UnmappedEvents.Parked parked) {
    }

    public void process(Exchange exchange) throws IOException {
        long id = exchange.getIn().getHeader(WebhookQueue.LOG_ID, Long.class);
        Optional<InboundEvent> found = webhookLog.findQueued(id);
        if (found.isEmpty()) {
            log.debug("Webhook {} is not queued any more (processed, failed, or taken by another consumer): skipped", id);
            return;
        }
        InboundEvent event = found.get();
        Instant started = Instant.now();
        Applied applied;
        try {
            // outside any transaction: the connector may call its channel
            InboundEvents.Changes changes = channels.get(event.platform()).inbound()
                    .orElseThrow(() -> new IllegalStateException("platform " + event.platform() + " takes no inbound events"))
                    .apply(event);
            applied = tx.execute(status -> apply(event, changes, started));
        } catch (IOException | RuntimeException e) {
            attempts.threw(id, started, e); // rolled back: the attempt is kept on its own, then the route retries
            throw e;
        }
        if (applied == null) {
            log.debug("Webhook {} was finished by another consumer meanwhile: skipped (nothing it fetched is acknowledged)", id);
            return;
        }
        if (applied.parked() != null) {
            unmapped.alert(applied.parked());
        }
        try {
            applied.afterCommit().run(applied.outcomes());
        } catch (IOException | RuntimeException e) {
            // committed already: the event stays applied; the connector's own retry (e.g. the next pull) takes over
            log.warn("Webhook {}: the after-commit action failed: {}", id, e.getMessage());
        }
    }

    private Applied apply(InboundEvent event, InboundEvents.Changes changes, Instant started) {
        long id = event.id();
        if (!webhookLog.lockQueued(id)) {
            return null;
        }
        List<InboundEvents.Outcome> outcomes = new ArrayList<>();
        List<ChannelReservation> withoutMapping = new ArrayList<>();
        for (ChannelReservation r : changes.reservations()) {
            outcomes.add(new InboundEvents.Outcome(r, store(r, event.id(), withoutMapping)));
        }
        List<String> problems = outcomes.stream().filter(o -> !o.stored()).map(InboundEvents.Outcome::problem).toList();
        String listingId = changes.reservations().isEmpty() ? null : changes.reservations().get(0).listingId();
        UnmappedEvents.Parked parked = null;
        String error = problems.isEmpty() ? null : String.join("; ", problems);
        String outcome;
        if (problems.isEmpty()) {
            webhookLog.markProcessed(id, changes.note(), listingId);
            outcome = WebhookAttempts.PROCESSED;
        } else if (!withoutMapping.isEmpty()) {
            // parked, not failed: applied again (whole, the stored parts change nothing) once the listing is mapped
            parked = unmapped.park(id, event.platform(), event.eventId(), withoutMapping.get(0), error);
            outcome = WebhookAttempts.UNMAPPED;
        } else {
            webhookLog.markFailed(id, error, listingId);
            log.warn("{} webhook {} (event {}) failed: {}", event.platform(), id, event.eventId(), error);
            outcome = WebhookAttempts.FAILED;
        }
        attempts.finished(id, started, outcome, error);
        return new Applied(changes.afterCommit(), outcomes, parked);
    }

    /** Upserts one reservation; returns why it cannot be stored, or null. One without a mapping is added to {@code withoutMapping}. */
    private String store(ChannelReservation r, long webhookLogId, List<ChannelReservation> withoutMapping) {
        String problem = r.problem();
        if (problem != null) {
            return "invalid reservation: " + problem;
        }
        Optional<ChannelBookings.Mapping> mapping = bookings.mapping(r.platform(), r.listingId(), r.roomId());
        if (mapping.isEmpty()) {
            withoutMapping.add(r);
            return "no mapping for listing " + r.listingId() + (r.roomId() == null ? "" : " room " + r.roomId());
        }
        ChannelBookings.Stay before = bookings.lockStored(r.platform(), r.reservationCode()).orElse(null);
        if (bookings.upsert(mapping.get(), r, webhookLogId)) {
            createSyncJobs(mapping.get(), r, before, webhookLogId);
            log.debug("{} reservation {} stored ({} to {}, {}) for property {}", r.platform(), r.reservationCode(),
                    r.checkIn(), r.checkOut(), r.status(), mapping.get().propertyId());
        } else {
            log.debug("{} reservation {}: a version as new as {} is already stored; nothing changed", r.platform(),
                    r.reservationCode(), r.eventTime());
        }
        return null;
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
}
