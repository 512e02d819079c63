package io.channelsync.security;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticationTest extends IntegrationTest {

    @Test
    void noKeyIsRefusedWith401AndAJsonReason() {
        var response = api.get("/api/v1/me", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
    }

    @Test
    void aWrongKeyIsRefusedWith401() {
        assertThat(api.get("/api/v1/me", "csk_not-a-real-key").statusCode()).isEqualTo(401);
    }

    @Test
    void anAgencyKeyIdentifiesItsAgency() {
        var agency = data.agency();
        var response = api.get("/api/v1/me", agency.apiKey());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"agency_id\":\"" + agency.id() + "\"").contains("\"operator\":false");
        assertThat(response.body()).doesNotContain(agency.apiKey());
    }

    @Test
    void anOperatorKeyFromConfigurationIsAnOperator() {
        var response = api.get("/api/v1/me", OPERATOR_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"operator\":true");
    }

    @Test
    void aRevokedKeyNoLongerWorks() {
        var agency = data.agency();
        jdbc.update("update api_keys set revoked_at = now() where agency_id = ?", agency.id());
        assertThat(api.get("/api/v1/me", agency.apiKey()).statusCode()).isEqualTo(401);
    }

    @Test
    void aBearerTokenOutsideTheApiIsNotTakenForAnApiKey() {
        var response = api.get("/sandbox/requests?channel=airbnb", "some-channel-jwt");
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
