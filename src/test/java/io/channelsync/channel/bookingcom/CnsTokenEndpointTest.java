package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.channelsync.api.ApiResponses;
import io.channelsync.support.Cns;
import io.channelsync.support.IntegrationTest;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** POST /api/v1/webhooks/booking_com/token: the OAuth 2.0 client-credentials grant CNS fetches its JWT with. Real HTTP. */
class CnsTokenEndpointTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");

    @Autowired
    CnsTokens tokens;

    @Autowired
    ApiResponses responses;

    private HttpResponse<String> postForm(String form, Map<String, String> headers) {
        return api.postRaw(Cns.TOKEN_PATH, form.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static Map<String, String> basic(String id, String secret) {
        return Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization",
                "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** An answer per RFC 6749 §5.1, whose JWT verifies under the test key, independently of the service's code. */
    private static void assertValidToken(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        // RFC 6749 §5.1: no-store (Spring Security adds its own no-cache directives beside it)
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode body = json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        SignedJWT jwt = SignedJWT.parse(body.path("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(jwt.verify(new MACVerifier(Cns.JWT_KEY))).as("signed with the configured key").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("channel-sync");
        assertThat(claims.getIssuer()).isEqualTo("channel-sync");
        assertThat(claims.getSubject()).isEqualTo(Cns.CLIENT_ID);
        assertThat(claims.getExpirationTime().toInstant()).isCloseTo(Instant.now().plusSeconds(3600), within(Duration.ofSeconds(30)));
    }

    @Test
    void basicCredentialsGetABearerTokenThatVerifies() throws Exception {
        HttpResponse<String> response = postForm("grant_type=client_credentials", basic(Cns.CLIENT_ID, Cns.CLIENT_SECRET));
        assertValidToken(response);
        // and the service's own verifier accepts it
        assertThat(tokens.verify(json(response).path("access_token").asText()).getSubject()).isEqualTo(Cns.CLIENT_ID);
    }

    @Test
    void formCredentialsGetABearerToken() throws Exception {
        assertValidToken(postForm("grant_type=client_credentials&client_id=" + Cns.CLIENT_ID + "&client_secret=" + Cns.CLIENT_SECRET, FORM));
    }

    @Test
    void wrongSecretIsRefusedWith401InvalidClient() throws Exception {
        for (HttpResponse<String> response : List.of(
                postForm("grant_type=client_credentials", basic(Cns.CLIENT_ID, "not-the-secret")),
                postForm("grant_type=client_credentials&client_id=" + Cns.CLIENT_ID + "&client_secret=not-the-secret", FORM),
                postForm("grant_type=client_credentials", basic("another-client", Cns.CLIENT_SECRET)),
                postForm("grant_type=client_credentials", FORM))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).path("error").asText()).isEqualTo("invalid_client");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void anotherGrantTypeIsRefusedWith400UnsupportedGrantType() throws Exception {
        HttpResponse<String> response = postForm("grant_type=password&username=a&password=b", basic(Cns.CLIENT_ID, Cns.CLIENT_SECRET));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void missingGrantTypeOrCredentialsGivenTwiceAreRefusedWith400InvalidRequest() throws Exception {
        HttpResponse<String> noGrant = postForm("client_id=" + Cns.CLIENT_ID, basic(Cns.CLIENT_ID, Cns.CLIENT_SECRET));
        HttpResponse<String> twice = postForm("grant_type=client_credentials&client_id=" + Cns.CLIENT_ID + "&client_secret="
                + Cns.CLIENT_SECRET, basic(Cns.CLIENT_ID, Cns.CLIENT_SECRET));
        for (HttpResponse<String> response : List.of(noGrant, twice)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).path("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void withoutClientCredentialsOrKeyConfiguredTheEndpointAnswers503() throws Exception {
        // the same endpoint class, built over a configuration that lacks the key (the context's is complete)
        CnsProperties unconfigured = new CnsProperties(Cns.CLIENT_ID, Cns.CLIENT_SECRET, null, "channel-sync", "channel-sync",
                Duration.ofHours(1), Duration.ofSeconds(60), null);
        CnsTokenEndpoint endpoint = new CnsTokenEndpoint(unconfigured, new CnsTokens(unconfigured), responses);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody("grant_type=client_credentials");
        endpoint.token(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(JSON.readTree(exchange.getMessage().getBody(String.class)).path("error").asText()).isEqualTo("temporarily_unavailable");
    }
}
