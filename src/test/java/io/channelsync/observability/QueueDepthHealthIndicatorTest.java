package io.channelsync.observability;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * During start-up the health endpoint may be asked before Camel has started its SEDA queues (a real,
 * not yet started Camel context here): the indicator reports them as starting instead of throwing.
 */
class QueueDepthHealthIndicatorTest {

    @Test
    void aQueueThatIsNotStartedYetIsReportedAsStartingNotAnError() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getEndpoint("seda:webhook-events?size=10");

            var health = new QueueDepthHealthIndicator(camel).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("webhook-events", Map.of("state", "starting"));

            camel.start();
            assertThat(new QueueDepthHealthIndicator(camel).health().getDetails().get("webhook-events"))
                    .isEqualTo(Map.of("depth", 0, "capacity", 10, "consumers", 0));
        }
    }
}
