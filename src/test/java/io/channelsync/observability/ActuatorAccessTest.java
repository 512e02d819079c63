package io.channelsync.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11 item 9: the actuator tells anyone only whether the service is up; the rest needs an operator key. */
class ActuatorAccessTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthWithoutAKeyAnswersOnlyTheStatus() throws Exception {
        var response = api.get("/actuator/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.fieldNames()).toIterable().containsExactly("status");
    }

    @Test
    void healthDetailsNeedAnOperatorKey() throws Exception {
        JsonNode asAgency = JSON.readTree(api.get("/actuator/health", data.agency().apiKey()).body());
        assertThat(asAgency.has("components")).as("an agency key sees no details").isFalse();

        JsonNode asOperator = JSON.readTree(api.get("/actuator/health", OPERATOR_KEY).body());
        assertThat(asOperator.path("components").path("db").path("details").path("database").asText()).isEqualTo("PostgreSQL");
        assertThat(asOperator.path("components").path("queues").path("details").has("webhook-events")).isTrue();
    }

    @Test
    void metricsAndPrometheusNeedAnOperatorKeySentAsABearerToken() {
        for (String path : List.of("/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/prometheus")) {
            assertThat(api.get(path, null).statusCode()).as(path + " without a key").isEqualTo(401);
            assertThat(api.get(path, "not-a-key").statusCode()).as(path + " with an unknown key").isEqualTo(401);
            assertThat(api.get(path, data.agency().apiKey()).statusCode()).as(path + " with an agency key").isEqualTo(403);
            var operator = api.get(path, OPERATOR_KEY);
            assertThat(operator.statusCode()).as(path + " with an operator key").isEqualTo(200);
        }
        assertThat(api.get("/actuator/prometheus", OPERATOR_KEY).body()).contains("channelsync_webhooks_total");
    }
}
