package io.channelsync.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Nothing acknowledged is lost: at start-up and then periodically (route {@code webhook-recovery}),
 * rows left {@code received} (queue full, or the process died before enqueuing) or {@code queued}
 * past the lease (the process died with the event in its memory queue) are claimed and enqueued
 * again. The claim is one UPDATE over {@code FOR UPDATE SKIP LOCKED}, so two instances never take
 * the same row; processing itself locks the row, so an event is never applied twice. Each sweep also releases
 * parked ({@code unmapped}) events whose listing has a mapping by now ({@link UnmappedEvents#releaseAll}): a
 * release lost with a crash right after a mapping's commit is caught up here.
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
        List<Long> claimed = webhookLog.claimForRecovery(config.receivedGrace(), config.queuedLease(), config.batchSize());
        int enqueued = 0;
        for (long id : claimed) {
            if (!queue.offer(id)) {
                break; // queue full: the rest went back to received, the next sweep takes them
            }
            enqueued++;
        }
        if (!claimed.isEmpty()) {
            log.warn("Recovered {} webhook event(s) left unprocessed: {}", enqueued, claimed);
        }
        return enqueued;
    }
}
