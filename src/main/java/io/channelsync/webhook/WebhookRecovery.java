package io.channelsync.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Nothing acknowledged is lost: at start-up and then periodically (route {@code webhook-recovery}),
 * rows left {@code received} past the grace (the queue was full) or {@code queued} past the lease
 * (the process died between the commit and the queue, or with the event in its memory queue) are
 * claimed and enqueued again. The claim is one UPDATE over {@code FOR UPDATE SKIP LOCKED}, so two instances never take
 * the same row; processing itself locks the row, so an event is never applied twice.
 */
@Component("webhookRecovery")
public class WebhookRecovery {

    private static final Logger log = LoggerFactory.getLogger(WebhookRecovery.class);
    private final WebhookLog webhookLog;
    private final WebhookQueue queue;
    private final WebhookProperties.Recovery config;

    public WebhookRecovery(WebhookLog webhookLog, WebhookQueue queue, WebhookProperties properties) {
        this.webhookLog = webhookLog;
        this.queue = queue;
        this.config = properties.recovery();
    }

    /**
     * The backlog of a burst: rows the full queue sent back to {@code received} are claimed (whatever
     * their age: nothing else holds them) as fast as the queue frees room, every
     * {@code channel-sync.webhooks.recovery.refill-interval-ms}. Does nothing unless the queue refused a row.
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
        List<Long> claimed = webhookLog.claimForRecovery(Duration.ZERO, config.queuedLease(), room);
        if (claimed.size() == room) {
            queue.backlogged(true); // there may be more
        }
        return claimed.isEmpty() ? 0 : queue.offer(claimed);
    }

    /**
     * Claims and enqueues batches until a batch is short (nothing more is due) or the queue refuses
     * a row (the rest went back to {@code received}; the next sweep takes them), so a backlog left
     * by a burst drains at the speed of processing, not one batch per interval.
     *
     * @return how many rows were enqueued again
     */
    public int recover() {
        int enqueued = 0;
        List<Long> claimed;
        int accepted;
        do {
            claimed = webhookLog.claimForRecovery(config.receivedGrace(), config.queuedLease(), config.batchSize());
            accepted = claimed.isEmpty() ? 0 : queue.offer(claimed);
            enqueued += accepted;
        } while (claimed.size() == config.batchSize() && accepted == claimed.size());
        if (enqueued > 0) {
            log.warn("Recovered {} webhook event(s) left unprocessed (queue full, or a process died)", enqueued);
        }
        return enqueued;
    }
}
