package io.channelsync.observability;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest extends IntegrationTest {

    @Test
    void prometheusExposesTheBusinessMetrics() {
        String scrape = api.get("/actuator/prometheus", OPERATOR_KEY).body();
        assertThat(scrape).contains("channelsync_webhooks_total{", "channelsync_webhooks_current{", "channelsync_sync_jobs{", "channelsync_sync_retries_total",
                "channelsync_deadletters_open", "channelsync_reconciliation_discrepancies_total{");
    }

    @Test
    void deadLettersOpenMovesWhenADeadLetterIsRecorded() {
        double before = value("channelsync_deadletters_open");
        jdbc.update("insert into deadletters (source_route, source, exception_class, exception_message) "
                + "values ('test', 'sync', 'java.io.IOException', 'channel down')");
        assertThat(value("channelsync_deadletters_open")).isEqualTo(before + 1);
    }

    @Test
    void aForgedWebhookMovesTheRejectedCounter() {
        String rejected = "channelsync_webhooks_total{outcome=\"rejected\",platform=\"airbnb\"}";
        double before = value(rejected);
        var response = api.postRaw("/api/v1/webhooks/airbnb", "{\"action\":\"test_notification\"}".getBytes(),
                java.util.Map.of("Content-Type", "application/json", "X-Airbnb-Signature", "t=1,v1=00"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(value(rejected)).isEqualTo(before + 1);
    }

    /**
     * Issue 15: a scrape reads only rows that are not final, through the partial indexes of changeset 480: each
     * statement's predicate matches its index (with sequential scans off, the planner must be able to use it;
     * a predicate the index does not imply would leave a sequential scan over the whole history).
     */
    @Test
    void everyScrapeStatementCanBeServedByAPartialIndex() {
        List<String> plans = jdbc.execute((java.sql.Connection c) -> {
            List<String> found = new java.util.ArrayList<>();
            try (var s = c.createStatement()) {
                s.execute("set enable_seqscan = off");
                for (String statement : ChannelSyncMetrics.statements()) {
                    StringBuilder plan = new StringBuilder();
                    try (var rs = s.executeQuery("explain " + statement)) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                    found.add(plan.toString());
                }
                s.execute("reset enable_seqscan");
            }
            return found;
        });
        assertThat(plans.get(0)).contains("webhook_log_waiting_idx");
        assertThat(plans.get(1)).contains("sync_logs_open_idx");
        assertThat(plans.get(2)).contains("deadletters_open_idx");
    }

    @Test
    void everySyncStateThatIsNotFinalHasAGauge() {
        String scrape = api.get("/actuator/prometheus", OPERATOR_KEY).body();
        for (io.channelsync.sync.SyncStateMachine.Status status : io.channelsync.sync.SyncStateMachine.Status.values()) {
            String series = "channelsync_sync_jobs{status=\"" + status + "\"}";
            if (io.channelsync.sync.SyncStateMachine.FINAL.contains(status)) {
                assertThat(scrape).doesNotContain(series);
            } else {
                assertThat(scrape).contains(series);
            }
        }
    }

    @Test
    void queueDepthIsPartOfHealth() {
        String health = api.get("/actuator/health", OPERATOR_KEY).body();
        assertThat(health).contains("\"queues\"");
    }

    private double value(String metric) {
        String scrape = api.get("/actuator/prometheus", OPERATOR_KEY).body();
        // a name alone matches any labels; a name with labels matches exactly those
        String labels = metric.contains("{") ? "" : "(?:\\{[^}]*\\})?";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + labels + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("metric %s in the scrape", metric).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
