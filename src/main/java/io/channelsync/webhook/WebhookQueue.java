package io.channelsync.webhook;

import io.channelsync.camel.ResolvedEndpoint;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands committed {@code queued} webhook_log rows to the webhook queue ({@code channel-sync.queues.webhook-events}:
 * SEDA by default, RabbitMQ in the cluster profile), fire-and-forget (InOnly, so an HTTP caller never waits for
 * processing: CAMEL-NOTES 3). The SEDA queue is bounded; the
 * rows it refuses are released ({@link WebhookLog#release}: {@code received} with no owner, one
 * statement for all of them), so a recovery sweep of any instance claims them, and this instance's
 * refill ({@link WebhookRecovery#refill}) does so as soon as room frees up.
 */
@Component
public class WebhookQueue {

    /** The one URI of the queue, producer's and consumer's (route webhook-processing). */
    public static final String URI = "{{channel-sync.queues.webhook-events}}";
    public static final String LOG_ID = "webhookLogId";
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    private final ProducerTemplate camel;
    private final WebhookLog webhookLog;
    /**
     * A burst is under way: the queue refused a row and the refill has not yet found every released row queued again.
     * It is logged once when it starts and once when it ends ({@link #caughtUp}), however often the queue fills and
     * frees up in between (under a sustained burst it does so many times a second).
     */
    private final AtomicBoolean full = new AtomicBoolean();
    private final AtomicLong refusals = new AtomicLong();
    /** Rows were released since the last refill found none left: {@link WebhookRecovery#refill} has work. */
    private final AtomicBoolean backlog = new AtomicBoolean();
    private final ResolvedEndpoint endpoint;

    public WebhookQueue(ProducerTemplate camel, WebhookLog webhookLog) {
        this.camel = camel;
        this.webhookLog = webhookLog;
        this.endpoint = new ResolvedEndpoint(camel.getCamelContext(), URI);
    }

    /**
     * Enqueues rows already {@code queued} for this instance (by the intake, a sweep's claim or a release of
     * parked events), in order, until the queue refuses one: that row and the rest are released.
     *
     * @return how many were enqueued
     */
    public int offer(List<Long> ids) {
        int offered = 0;
        while (offered < ids.size() && offer(ids.get(offered))) {
            offered++;
        }
        if (offered < ids.size()) {
            webhookLog.release(ids.subList(offered, ids.size()));
            backlog.set(true);
        }
        return offered;
    }

    /** True once rows were released, until the refill takes them ({@link #drained()}). */
    public boolean backlogged() {
        return backlog.get();
    }

    /** The refill is about to claim every released row it finds room for. */
    public void drained() {
        backlog.set(false);
    }

    /** The refill found no released row left: every delivery refused during the burst is queued again. */
    public void caughtUp() {
        if (full.compareAndSet(true, false)) {
            log.info("Webhook queue caught up: every delivery it refused during the burst ({} refusals) is queued again",
                    refusals.getAndSet(0));
        }
    }

    /** The refill stopped at the room it had: there may be more. */
    public void backlogged(boolean more) {
        if (more) {
            backlog.set(true);
        }
    }

    /** How many more ids the queue takes now: a broker's queue is not bounded here. */
    public int room() {
        return endpoint.get() instanceof SedaEndpoint seda ? seda.getQueue().remainingCapacity() : Integer.MAX_VALUE;
    }

    private boolean offer(long id) {
        try {
            camel.sendBodyAndHeader(endpoint.get(), ExchangePattern.InOnly, Long.toString(id), LOG_ID, id); // text: any transport carries it
            return true;
        } catch (RuntimeException e) {
            refusals.incrementAndGet();
            if (full.compareAndSet(false, true)) {
                log.warn("Webhook queue refused webhook {} ({}): it and the deliveries refused after it until the backlog is "
                        + "caught up are released as received with no owner, and enqueued again as room frees up (logged once "
                        + "per burst); see the queues component of /actuator/health", id, e.getMessage());
            }
            return false;
        }
    }
}
