package io.channelsync.observability;

import io.channelsync.support.IntegrationTest;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: the route console, Hawtio at /actuator/hawtio with Jolokia at /actuator/jolokia, is behind the
 * operator key like the rest of /actuator, and through it an operator suspends and resumes a route (the
 * same JMX operations Hawtio's Camel plugin calls).
 */
class HawtioConsoleTest extends IntegrationTest {

    /** A route nobody waits on here: the backlog refill, idle unless a queue refused rows. */
    private static final String ROUTE = "webhook-backlog";

    @Test
    void theConsoleAnswersTheOperatorKeyAndRefusesEveryoneElse() {
        for (String path : List.of("/actuator/hawtio/", "/actuator/jolokia/version")) {
            assertThat(api.get(path, null).statusCode()).as(path + " without a key").isEqualTo(401);
            assertThat(api.get(path, data.agency().apiKey()).statusCode()).as(path + " with an agency key").isEqualTo(403);
            var operator = api.get(path, OPERATOR_KEY);
            assertThat(operator.statusCode()).as(path + " with an operator key").isEqualTo(200);
        }
        assertThat(api.get("/actuator/hawtio/", OPERATOR_KEY).body()).containsIgnoringCase("hawtio");
    }

    @Test
    void anOperatorSuspendsAndResumesARouteThroughJolokia() {
        String mbean = "org.apache.camel:context=channel-sync,type=routes,name=\\\"" + ROUTE + "\\\"";
        try {
            var suspended = api.post("/actuator/jolokia", OPERATOR_KEY,
                    "{\"type\": \"exec\", \"mbean\": \"" + mbean + "\", \"operation\": \"suspend()\"}");
            assertThat(suspended.statusCode()).isEqualTo(200);
            assertThat(suspended.body()).contains("\"status\":200");
            assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Suspended);
            var state = api.post("/actuator/jolokia", OPERATOR_KEY,
                    "{\"type\": \"read\", \"mbean\": \"" + mbean + "\", \"attribute\": \"State\"}");
            assertThat(state.body()).contains("Suspended");
            var resumed = api.post("/actuator/jolokia", OPERATOR_KEY,
                    "{\"type\": \"exec\", \"mbean\": \"" + mbean + "\", \"operation\": \"resume()\"}");
            assertThat(resumed.body()).contains("\"status\":200");
            assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
        } finally {
            if (camel.getRouteController().getRouteStatus(ROUTE) != ServiceStatus.Started) {
                try {
                    camel.getRouteController().resumeRoute(ROUTE);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        var refused = api.post("/actuator/jolokia", null,
                "{\"type\": \"exec\", \"mbean\": \"" + mbean + "\", \"operation\": \"suspend()\"}");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }
}
