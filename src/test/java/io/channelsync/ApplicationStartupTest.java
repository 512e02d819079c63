package io.channelsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationStartupTest extends IntegrationTest {

    @Test
    void routesAreLoadedFromTheRoutesFolderOnTheFileSystem() {
        Route whoami = camel.getRoute("whoami");
        assertThat(whoami).as("route 'whoami' from routes/whoami.camel.yaml").isNotNull();
        assertThat(whoami.getSourceLocation()).startsWith("file:").contains("routes/whoami.camel.yaml");
        assertThat(camel.getRoutes()).allSatisfy(route -> assertThat(route.getRouteId()).doesNotStartWith("route"));
    }

    @Test
    void healthReportsTheDatabaseAndCamelUp() throws Exception {
        var response = api.get("/actuator/health", OPERATOR_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = new ObjectMapper().readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("details").path("database").asText()).isEqualTo("PostgreSQL");
        assertThat(health.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
    }
}
