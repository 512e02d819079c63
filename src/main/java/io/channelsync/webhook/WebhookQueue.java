package io.channelsync.webhook;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands committed {@code queued} webhook_log rows to {@code seda:webhook-events}, fire-and-forget
 * (InOnly, so an HTTP caller never waits for processing: CAMEL-NOTES 3). The queue is bounded; the
 * rows it refuses go back to {@code received} (one statement for all of them) and the refill
 * ({@link WebhookRecovery#refill}) enqueues them as room frees up.
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
    /** Rows went back to received since the last refill found none left: {@link WebhookRecovery#refill} has work. */
    private final AtomicBoolean backlog = new AtomicBoolean();
    private volatile SedaEndpoint endpoint;

    public WebhookQueue(ProducerTemplate camel, WebhookLog webhookLog) {
        this.camel = camel;
        this.webhookLog = webhookLog;
    }

    /**
     * Enqueues rows already committed as {@code queued}, in order, until the queue refuses one: that
     * row and the rest go back to {@code received}.
     *
     * @return how many were enqueued
     */
    public int offer(List<Long> ids) {
        List<Long> refused = new ArrayList<>();
        for (long id : ids) {
            if (!refused.isEmpty() || !offer(id)) {
                refused.add(id);
            }
        }
        if (!refused.isEmpty()) {
            webhookLog.backToReceived(refused);
            backlog.set(true);
        }
        return ids.size() - refused.size();
    }

    /** True once rows went back to received, until {@link #drained()}. */
    public boolean backlogged() {
        return backlog.get();
    }

    /** The refill is about to claim every received row it finds room for. */
    public void drained() {
        backlog.set(false);
    }

    /** The refill found as many rows as it had room for: there may be more. */
    public void backlogged(boolean more) {
        backlog.set(more);
    }

    /** How many more ids the queue takes now. */
    public int room() {
        return endpoint().getQueue().remainingCapacity();
    }

    /** Resolved once: looking the URI up normalises it on every send, a cost the profile showed per request. */
    private SedaEndpoint endpoint() {
        SedaEndpoint resolved = endpoint;
        if (resolved == null) {
            resolved = camel.getCamelContext().getEndpoint(URI, SedaEndpoint.class);
            endpoint = resolved;
        }
        return resolved;
    }

    private boolean offer(long id) {
        try {
            camel.sendBodyAndHeader(endpoint(), ExchangePattern.InOnly, id, LOG_ID, id);
            if (full.compareAndSet(true, false)) {
                log.info("Webhook queue accepts work again (webhook {})", id);
            }
            return true;
        } catch (RuntimeException e) {
            if (full.compareAndSet(false, true)) {
                log.warn("Webhook queue refused webhook {} ({}): it and the deliveries after it stay stored as received, "
                        + "and the recovery sweep enqueues them; see the queues component of /actuator/health", id, e.getMessage());
            }
            return false;
        }
    }
}
