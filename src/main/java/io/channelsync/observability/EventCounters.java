package io.channelsync.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The business totals as Micrometer counters, incremented where the events happen (issue 15: a scrape
 * never counts rows). Each instance counts its own events from its start: with several instances,
 * aggregate with sum() and rate() (Prometheus handles a restart's reset). Series:
 * <ul>
 *   <li>{@code channelsync_webhooks_total{platform,outcome}}: deliveries logged (received: every one, the
 *   rejected and duplicates too), rejected, duplicate</li>
 *   <li>{@code channelsync_sync_retries_total}: sync attempts that failed transiently and will be retried</li>
 *   <li>{@code channelsync_reconciliation_discrepancies_total{kind}}: drift found by reconciliation</li>
 * </ul>
 */
@Component
public class EventCounters {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter retries;

    public EventCounters(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("channelsync.sync.retries").description("sync attempts that failed transiently")
                .register(registry);
    }

    /** A delivery logged: received, and rejected or duplicate when it is one. */
    public void webhook(String platform, String outcome) {
        webhookCounter(platform, "received").increment();
        if (!"received".equals(outcome)) {
            webhookCounter(platform, outcome).increment();
        }
    }

    Counter webhookCounter(String platform, String outcome) {
        return counters.computeIfAbsent("webhook:" + platform + ":" + outcome, k -> Counter.builder("channelsync.webhooks")
                .description("webhook deliveries by outcome").tags("platform", platform, "outcome", outcome).register(registry));
    }

    public void syncRetry() {
        retries.increment();
    }

    public void discrepancy(String kind) {
        discrepancyCounter(kind).increment();
    }

    Counter discrepancyCounter(String kind) {
        return counters.computeIfAbsent("discrepancy:" + kind, k -> Counter.builder("channelsync.reconciliation.discrepancies")
                .description("drift found by reconciliation").tags("kind", kind).register(registry));
    }
}
