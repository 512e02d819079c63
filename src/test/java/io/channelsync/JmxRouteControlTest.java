package io.channelsync;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Integration engineers stop and start routes from JConsole; this does the same through the platform MBean server. */
class JmxRouteControlTest extends IntegrationTest {

    @Test
    void aRouteCanBeStoppedAndStartedThroughItsMBean() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName route = new ObjectName("org.apache.camel:context=channel-sync,type=routes,name=\"whoami\"");
        assertThat(mbeans.isRegistered(route)).as("MBean %s", route).isTrue();
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Started");
        try {
            mbeans.invoke(route, "stop", null, null);
            assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Stopped");
            assertThat(camel.getRouteController().getRouteStatus("whoami").isStopped()).isTrue();
        } finally {
            mbeans.invoke(route, "start", null, null);
        }
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Started");
        assertThat(api.get("/api/v1/me", OPERATOR_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aSuspendedWebhookRouteRefusesDeliveriesOfEveryChannelSoTheyRetryLater() throws Exception {
        // one generic intake route serves /api/v1/webhooks/{platform}: suspending it stops all channels' webhooks
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName route = new ObjectName("org.apache.camel:context=channel-sync,type=routes,name=\"webhook-receive\"");
        byte[] body = "{}".getBytes();
        try {
            mbeans.invoke(route, "suspend", null, null);
            assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Suspended");
            for (String platform : java.util.List.of("airbnb", "booking_com")) {
                int status = api.postRaw("/api/v1/webhooks/" + platform, body, java.util.Map.of("Content-Type", "application/json")).statusCode();
                assertThat(status).as("a suspended intake acknowledges nothing for %s", platform).isEqualTo(503);
            }
        } finally {
            mbeans.invoke(route, "resume", null, null);
        }
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Started");
        assertThat(api.postRaw("/api/v1/webhooks/airbnb", body, java.util.Map.of("Content-Type", "application/json")).statusCode())
                .as("unsigned, so refused by the running intake").isEqualTo(401);
    }
}
