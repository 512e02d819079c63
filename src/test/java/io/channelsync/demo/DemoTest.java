package io.channelsync.demo;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `make demo` runs against a started service and its checks pass. The shared test context points
 * the channels at WireMock, so WireMock forwards every channel call to the service's own sandbox,
 * which is what `make run` talks to directly.
 */
class DemoTest extends IntegrationTest {

    @AfterEach
    void sandboxForgets() {
        api.delete("/sandbox/requests", null);
    }

    @Test
    void theDemoWalksTheWholeFlowAndEveryStepChecksOut() throws Exception {
        String sandbox = api.baseUrl() + "/sandbox";
        CHANNELS.stubFor(any(urlMatching("/airbnb/.*")).atPriority(5)
                .willReturn(aResponse().proxiedFrom(sandbox + "/airbnb").withProxyUrlPrefixToRemove("/airbnb")));
        CHANNELS.stubFor(any(urlMatching("/booking/.*")).atPriority(5)
                .willReturn(aResponse().proxiedFrom(sandbox + "/booking_com").withProxyUrlPrefixToRemove("/booking")));
        CHANNELS.stubFor(post(urlPathEqualTo(ALERT_WEBHOOK)).atPriority(1).willReturn(ok()));

        var demo = new ChannelSyncDemo(api.baseUrl(), OPERATOR_KEY, "test-airbnb-secret-new", Duration.ofSeconds(30));

        // `make run` polls Booking.com every 20 s; the shared test context starts the poll timer only here
        camel.getRouteController().startRoute("booking-com-poll-timer");
        try {
            assertThat(demo.run()).as("failed demo checks").isEmpty();
        } finally {
            camel.getRouteController().stopRoute("booking-com-poll-timer");
        }
    }
}
