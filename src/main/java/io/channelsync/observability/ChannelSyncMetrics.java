package io.channelsync.observability;

import io.channelsync.channel.Channels;
import io.channelsync.sync.SyncStateMachine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The service's business metrics (at Prometheus: {@code /actuator/prometheus}). Totals are counters
 * incremented where the events happen ({@link EventCounters}); the backlog gauges here read only rows
 * that are not final, through the partial indexes of changeset 480, so a scrape costs the same however
 * long the history grows (issue 15). The gauges describe the whole database: with several instances,
 * aggregate them with max(), not sum(). Cached for {@code channel-sync.metrics.refresh}.
 * <ul>
 *   <li>{@code channelsync_webhooks_current{platform,status}}: webhook rows still waiting (received, queued, unmapped)</li>
 *   <li>{@code channelsync_sync_jobs{status}}: sync jobs in each state that is not final (pending, running, retrying, ...)</li>
 *   <li>{@code channelsync_deadletters_open}: dead letters waiting for an operator</li>
 * </ul>
 */
@Component
public class ChannelSyncMetrics {

    /** The webhook statuses that are not final; the queries repeat the partial indexes' predicates exactly. */
    private static final List<String> WAITING_WEBHOOKS = List.of("received", "queued", "unmapped");
    private static final String WAITING_WEBHOOKS_SQL = "select platform, status, count(*) from webhook_log "
            + "where status in ('received', 'queued', 'unmapped') group by platform, status";
    private static final String OPEN_JOBS_SQL = "select status, count(*) from sync_logs "
            + "where status not in ('succeeded', 'failed', 'deadlettered') group by status";
    private static final List<String> DISCREPANCY_KINDS = List.of("missing_in_pms", "missing_on_channel", "dates_differ",
            "status_differs", "guests_differ", "amount_differs", "double_booking", "channel_unreachable");

    private final JdbcTemplate jdbc;
    private final long refreshMillis;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), 0);

    public ChannelSyncMetrics(JdbcTemplate jdbc, MeterRegistry registry, Channels channels, EventCounters counters,
                              @Value("${channel-sync.metrics.refresh:5s}") Duration refresh) {
        this.jdbc = jdbc;
        this.refreshMillis = refresh.toMillis();
        for (String platform : channels.platforms()) {
            for (String outcome : List.of("received", "rejected", "duplicate")) {
                counters.webhookCounter(platform, outcome); // each series from the start, at 0
            }
            for (String status : WAITING_WEBHOOKS) {
                // its own name: Prometheus refuses a gauge and a counter under one name
                gauge(registry, "channelsync.webhooks.current", "webhook rows still waiting, by status",
                        s -> s.get("webhook:" + platform + ":" + status), "platform", platform, "status", status);
            }
        }
        Arrays.stream(SyncStateMachine.Status.values()).filter(s -> !SyncStateMachine.FINAL.contains(s)).forEach(status ->
                gauge(registry, "channelsync.sync.jobs", "sync jobs by state that is not final", s -> s.get("job:" + status),
                        "status", status.name()));
        gauge(registry, "channelsync.deadletters.open", "dead letters waiting for an operator", s -> s.get("deadletters:open"));
        DISCREPANCY_KINDS.forEach(counters::discrepancyCounter);
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
        jdbc.query(WAITING_WEBHOOKS_SQL, rs -> {
            counts.put("webhook:" + rs.getString(1) + ":" + rs.getString(2), rs.getLong(3));
        });
        jdbc.query(OPEN_JOBS_SQL, rs -> {
            counts.put("job:" + rs.getString(1), rs.getLong(2));
        });
        counts.put("deadletters:open", jdbc.queryForObject("select count(*) from deadletters where status = 'open'", Long.class));
        return new Snapshot(Map.copyOf(counts), System.currentTimeMillis());
    }

    record Snapshot(Map<String, Long> counts, long readAt) {
        double get(String key) {
            return counts.getOrDefault(key, 0L);
        }
    }

    /** The statements a scrape runs (for the plan test and the benchmark). */
    static List<String> statements() {
        return List.of(WAITING_WEBHOOKS_SQL, OPEN_JOBS_SQL, "select count(*) from deadletters where status = 'open'");
    }
}
