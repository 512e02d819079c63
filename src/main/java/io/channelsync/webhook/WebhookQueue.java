package io.channelsync.webhook;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands committed webhook_log rows to {@code seda:webhook-events}, fire-and-forget (InOnly, so an
 * HTTP caller never waits for processing: CAMEL-NOTES 3). The queue is bounded; when it is full the
 * row goes back to {@code received} and the recovery sweep enqueues it later.
 */
@Component
public class WebhookQueue {

    /** The one URI of the queue; producer and consumer must agree on its size. */
    public static final String URI = "seda:webhook-events?size={{channel-sync.webhooks.queue-size}}&blockWhenFull=false&waitForTaskToComplete=Never";
    public static final String LOG_ID = "webhookLogId";
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    private final ProducerTemplate camel;
    private final WebhookLog webhookLog;

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
            return true;
        } catch (RuntimeException e) {
            log.warn("Webhook {} is stored but the queue refused it ({}); the recovery sweep will enqueue it", id, e.getMessage());
            webhookLog.backToReceived(id);
            return false;
        }
    }
}
