package io.channelsync.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Nothing acknowledged is lost: at start-up and then every {@code channel-sync.webhooks.recovery.interval-ms}
 * (route {@code webhook-recovery}), rows no live instance holds are claimed for this instance and
 * enqueued: rows of a dead instance (its memory queue died with it), rows released after a full
 * queue, rows whose hand-over failed ({@link WebhookLog#claimForRecovery}). A live instance's queue
 * is never taken from it. The claim is one UPDATE over {@code FOR UPDATE SKIP LOCKED}, so two
 * instances never take the same row; processing itself locks the row, so an event is never applied
 * twice. A sweep claims batch after batch until nothing is left or the queue is full; rows it could
 * not enqueue are released at once (no owner), so the next sweep takes them again.
 * Each sweep also releases parked ({@code unmapped}) events whose listing has a mapping by now
 * ({@link UnmappedEvents#releaseAll}): a release lost with a crash right after a mapping's commit is caught up here.
 * <p>
 * The backlog of a burst drains at the speed of processing, not one sweep per interval: once this instance's
 * queue refused rows, {@link #refill} (route {@code webhook-backlog}) claims the released rows as room frees up.
 */
@Component("webhookRecovery")
public class WebhookRecovery {

    private static final Logger log = LoggerFactory.getLogger(WebhookRecovery.class);
    private final WebhookLog webhookLog;
    private final WebhookQueue queue;
    private final WebhookProperties.Recovery config;
    private final UnmappedEvents unmapped;

    public WebhookRecovery(WebhookLog webhookLog, WebhookQueue queue, WebhookProperties properties, UnmappedEvents unmapped) {
        this.unmapped = unmapped;
        this.webhookLog = webhookLog;
        this.queue = queue;
        this.config = properties.recovery();
    }

    /** @return how many rows were enqueued again (parked events whose listing is mapped by now are released first) */
    public int recover() {
        unmapped.releaseAll();
        int enqueued = claimAndEnqueue(Integer.MAX_VALUE,
                wanted -> webhookLog.claimForRecovery(config.receivedGrace(), config.queuedLease(), wanted));
        if (enqueued > 0) {
            log.warn("Recovered {} webhook event(s) left unprocessed (released by a full queue, or of a dead instance)", enqueued);
        }
        return enqueued;
    }

    /**
     * When this instance's queue refused rows (they were released), claims as many released rows as the queue has
     * room for ({@link WebhookLog#claimReleased}), every {@code channel-sync.webhooks.recovery.refill-interval-ms}.
     * Does nothing, and runs no query, unless the queue refused a row.
     *
     * @return how many rows were enqueued
     */
    public int refill() {
        if (!queue.backlogged()) {
            return 0;
        }
        int room = queue.room();
        if (room == 0) {
            return 0;
        }
        queue.drained(); // before the claim: a row refused while it runs sets it again
        return claimAndEnqueue(room, webhookLog::claimReleased); // released rows only: the sweep looks for the rest
    }

    /** Claims batch after batch, at most {@code limit} rows, until a batch is short or the queue refuses a row. */
    private int claimAndEnqueue(int limit, IntFunction<List<Long>> claim) {
        int enqueued = 0;
        while (enqueued < limit) {
            int wanted = Math.min(config.batchSize(), limit - enqueued);
            List<Long> claimed = claim.apply(wanted);
            int accepted = claimed.isEmpty() ? 0 : queue.offer(claimed); // what it refuses is released at once
            enqueued += accepted;
            if (accepted < claimed.size()) {
                return enqueued;
            }
            if (claimed.size() < wanted) {
                queue.caughtUp(); // no released row left
                return enqueued;
            }
        }
        queue.backlogged(true); // stopped at the limit: there may be more
        return enqueued;
    }
}
