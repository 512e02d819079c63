package io.channelsync.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;

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
        int enqueued = 0;
        while (true) {
            List<Long> claimed = webhookLog.claimForRecovery(config.receivedGrace(), config.queuedLease(), config.batchSize());
            int offered = 0;
            while (offered < claimed.size() && queue.offer(claimed.get(offered))) {
                offered++;
            }
            enqueued += offered;
            if (offered < claimed.size()) {
                // queue full: the refused row was released by the queue, the rest of the batch is released here
                webhookLog.release(claimed.subList(offered + 1, claimed.size()));
                log.warn("Recovered {} webhook event(s) left unprocessed; the queue is full, {} wait for the next sweep",
                        enqueued, claimed.size() - offered);
                return enqueued;
            }
            if (claimed.size() < config.batchSize()) {
                break;
            }
        }
        if (enqueued > 0) {
            log.warn("Recovered {} webhook event(s) left unprocessed", enqueued);
        }
        return enqueued;
    }
}
