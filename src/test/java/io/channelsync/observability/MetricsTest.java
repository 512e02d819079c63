package io.channelsync.observability;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

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
