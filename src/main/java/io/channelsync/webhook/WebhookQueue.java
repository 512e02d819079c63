package io.channelsync.webhook;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands committed webhook_log rows to {@code seda:webhook-events}, fire-and-forget (InOnly, so an
 * HTTP caller never waits for processing: CAMEL-NOTES 3). The queue is bounded; when it is full the
 * row goes back to {@code received} with no owner, and the next recovery sweep of any instance
 * enqueues it.
 */
@Component
public class WebhookQueue {

    /** The one URI of the queue; producer and consumer must agree on its size. */
    public static final String URI = "seda:webhook-events?size={{channel-sync.webhooks.queue-size}}&blockWhenFull=false&waitForTaskToComplete=Never";
    public static final String LOG_ID = "webhookLogId";
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    private final ProducerTemplate camel;
    private final WebhookLog webhookLog;
    /** Whether the last offer was refused: a burst is logged once when it starts and once when it ends. */
    private final AtomicBoolean full = new AtomicBoolean();

    public WebhookQueue(ProducerTemplate camel, WebhookLog webhookLog) {
        this.camel = camel;
        this.webhookLog = webhookLog;
    }

    /** received -> queued -> onto the queue. False if the row stays received (queue full) or was taken by the sweep. */
    public boolean handOver(long id) {
        if (!webhookLog.markQueued(id)) {
            return false;
        }
        return offer(id);
    }

    /** Enqueues a row already marked queued (by the recovery sweep's claim). */
    public boolean offer(long id) {
        try {
            camel.sendBodyAndHeader(URI, ExchangePattern.InOnly, id, LOG_ID, id);
            if (full.compareAndSet(true, false)) {
                log.info("Webhook queue accepts work again (webhook {})", id);
            }
            return true;
        } catch (RuntimeException e) {
            if (full.compareAndSet(false, true)) {
                log.warn("Webhook queue refused webhook {} ({}): it and the deliveries after it stay stored as received, "
                        + "and the recovery sweep enqueues them; see the queues component of /actuator/health", id, e.getMessage());
            } else {
                log.debug("Webhook {} is stored but the queue is still full; left for the recovery sweep", id);
            }
            webhookLog.release(List.of(id));
            return false;
        }
    }
}
