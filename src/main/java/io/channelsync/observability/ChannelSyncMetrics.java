package io.channelsync.observability;

import io.channelsync.channel.Channels;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The service's business metrics, read from the tables that record every event, so they are exact
 * and survive restarts (at Prometheus: {@code /actuator/prometheus}). One grouped query per table,
 * cached for {@code channel-sync.metrics.refresh} so a scrape never hammers the database. They
 * describe the whole database: with several instances, aggregate with max(), not sum().
 * <ul>
 *   <li>{@code channelsync_webhooks_total{platform,outcome}} (one series per registered channel): deliveries: received, rejected, duplicate</li>
 *   <li>{@code channelsync_webhooks_current{platform,status}}: webhook rows by current status</li>
 *   <li>{@code channelsync_sync_jobs{status}}: sync jobs by current state (succeeded, failed, deadlettered, ...)</li>
 *   <li>{@code channelsync_sync_retries_total}: attempts that failed transiently and were retried</li>
 *   <li>{@code channelsync_deadletters_open}: dead letters waiting for an operator</li>
 *   <li>{@code channelsync_reconciliation_discrepancies_total{kind}}: drift found by reconciliation</li>
 * </ul>
 */
@Component
public class ChannelSyncMetrics {

    private static final List<String> WEBHOOK_STATUSES = List.of("received", "queued", "processed", "failed", "rejected", "duplicate", "unmapped");
    private static final List<String> JOB_STATUSES = List.of("pending", "running", "retrying", "held", "succeeded", "failed", "deadlettered");
    private static final List<String> DISCREPANCY_KINDS = List.of("missing_in_pms", "missing_on_channel", "dates_differ",
            "status_differs", "guests_differ", "amount_differs", "double_booking", "channel_unreachable");

    private final JdbcTemplate jdbc;
    private final long refreshMillis;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), 0);

    public ChannelSyncMetrics(JdbcTemplate jdbc, MeterRegistry registry, Channels channels,
                              @Value("${channel-sync.metrics.refresh:5s}") Duration refresh) {
        this.jdbc = jdbc;
        this.refreshMillis = refresh.toMillis();
        for (String platform : channels.platforms()) {
            counter(registry, "channelsync.webhooks", "webhook deliveries by outcome",
                    s -> s.sum("webhook:" + platform + ":"), "platform", platform, "outcome", "received");
            for (String outcome : List.of("rejected", "duplicate")) {
                counter(registry, "channelsync.webhooks", "webhook deliveries by outcome",
                        s -> s.get("webhook:" + platform + ":" + outcome), "platform", platform, "outcome", outcome);
            }
            for (String status : WEBHOOK_STATUSES) {
                // its own name: Prometheus refuses a gauge and a counter under one name
                gauge(registry, "channelsync.webhooks.current", "webhook rows by current status",
                        s -> s.get("webhook:" + platform + ":" + status), "platform", platform, "status", status);
            }
        }
        for (String status : JOB_STATUSES) {
            gauge(registry, "channelsync.sync.jobs", "sync jobs by current state", s -> s.get("job:" + status), "status", status);
        }
        counter(registry, "channelsync.sync.retries", "sync attempts that failed transiently", s -> s.get("retries"));
        gauge(registry, "channelsync.deadletters.open", "dead letters waiting for an operator", s -> s.get("deadletters:open"));
        for (String kind : DISCREPANCY_KINDS) {
            counter(registry, "channelsync.reconciliation.discrepancies", "drift found by reconciliation",
                    s -> s.get("discrepancy:" + kind), "kind", kind);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> read, String... tags) {
        FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.current())).description(description).tags(tags).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> read, String... tags) {
        Gauge.builder(name, this, m -> read.applyAsDouble(m.current())).description(description).tags(tags).register(registry);
    }

    /** The counts, re-read when older than the refresh interval. */
    synchronized Snapshot current() {
        if (System.currentTimeMillis() - snapshot.readAt() >= refreshMillis) {
            snapshot = read();
        }
        return snapshot;
    }

    private Snapshot read() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("select platform, status, count(*) from webhook_log group by platform, status",
                rs -> { counts.put("webhook:" + rs.getString(1) + ":" + rs.getString(2), rs.getLong(3)); });
        jdbc.query("select status, count(*) from sync_logs group by status",
                rs -> { counts.put("job:" + rs.getString(1), rs.getLong(2)); });
        counts.put("retries", jdbc.queryForObject(
                "select count(*) from sync_attempts where outcome = 'transient_failure'", Long.class));
        counts.put("deadletters:open", jdbc.queryForObject(
                "select count(*) from deadletters where status = 'open'", Long.class));
        jdbc.query("select kind, count(*) from reconciliation_log group by kind",
                rs -> { counts.put("discrepancy:" + rs.getString(1), rs.getLong(2)); });
        return new Snapshot(Map.copyOf(counts), System.currentTimeMillis());
    }

    record Snapshot(Map<String, Long> counts, long readAt) {
        double get(String key) {
            return counts.getOrDefault(key, 0L);
        }

        double sum(String prefix) {
            return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
        }
    }
}
