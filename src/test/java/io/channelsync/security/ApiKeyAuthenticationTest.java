package io.channelsync.security;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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

    @Test
    void aHeaderWithAControlCharacterIsRefusedByTheFirewall() throws IOException {
        // byte 0x85 reaches the application as U+0085, a C1 control character: reading the header, the firewall refuses
        // the request (400) before the key is judged
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + OPERATOR_KEY
                    + "\u0085\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String status = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            assertThat(status).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void aWebhookPathWithAnEncodedDotSegmentStillMeetsTheFirewall() throws IOException {
        // webhook deliveries skip the security chain only for plainly named platforms: /api/v1/webhooks/%2e%2e (which the
        // server would normalise to /api/v1) goes through the chain, whose firewall refuses an encoded period (400)
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/webhooks/%2e%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String status = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            assertThat(status).startsWith("HTTP/1.1 400");
        }
    }
}
