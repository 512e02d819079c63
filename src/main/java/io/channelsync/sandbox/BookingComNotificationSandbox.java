package io.channelsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.channel.bookingcom.CnsProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The sandbox's Booking.com Connectivity Notification Service (profile {@code sandbox}): it plays
 * CNS the way Booking.com's docs describe it (notification-service/authentication and
 * managing-notifications): it fetches a JWT from <em>our</em> token endpoint with the client
 * credentials we registered (the client-credentials grant, HTTP Basic), keeps it until shortly
 * before it expires, and POSTs notifications {@code {"metadata": {"uuid", "type", "payloadVersion"},
 * "payload": {...}}} to our {@code /api/v1/webhooks/booking_com} with {@code Authorization: Bearer <JWT>}.
 * <p>
 * {@code POST /sandbox/booking_com/notifications} {@code {"type": "VIRTUAL_CREDIT_CARD_UPDATE", "payload": {...}, "uuid": optional}}
 * sends one and answers {@code {"uuid", "status", "answer"}}: our webhook's status and body (or, when
 * the token was refused, 502 with the token endpoint's status and answer).
 */
@RestController
@RequestMapping("/sandbox/booking_com")
@Profile("sandbox")
public class BookingComNotificationSandbox {

    private static final Logger log = LoggerFactory.getLogger(BookingComNotificationSandbox.class);

    private final CnsProperties credentials;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    public BookingComNotificationSandbox(CnsProperties credentials, ObjectMapper json) {
        this.credentials = credentials;
        this.json = json;
    }

    @PostMapping(path = "/notifications", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> notify(@RequestBody JsonNode request, HttpServletRequest servlet) throws IOException, InterruptedException {
        String service = "http://127.0.0.1:" + servlet.getLocalPort() + servlet.getContextPath();
        String uuid = request.hasNonNull("uuid") ? request.get("uuid").asText() : UUID.randomUUID().toString();
        ObjectNode notification = json.createObjectNode();
        ObjectNode metadata = notification.putObject("metadata");
        metadata.put("uuid", uuid);
        metadata.put("type", request.path("type").asText("VIRTUAL_CREDIT_CARD_UPDATE"));
        metadata.put("payloadVersion", "1.0");
        notification.set("payload", request.has("payload") ? request.get("payload") : json.createObjectNode());

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uuid", uuid);
        HttpResponse<String> tokenAnswer = null;
        String bearer = currentToken();
        if (bearer == null) {
            tokenAnswer = fetchToken(service);
            if (tokenAnswer.statusCode() != 200) {
                answer.put("token_status", tokenAnswer.statusCode());
                answer.put("answer", tokenAnswer.body());
                return ResponseEntity.status(502).body(answer);
            }
            bearer = currentToken();
        }
        HttpResponse<String> delivered = http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/webhooks/booking_com"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(notification))).build(), HttpResponse.BodyHandlers.ofString());
        log.info("Sandbox CNS sent notification {} ({}): answered {}", uuid, metadata.get("type").asText(), delivered.statusCode());
        answer.put("status", delivered.statusCode());
        answer.put("answer", delivered.body());
        return ResponseEntity.ok(answer);
    }

    private synchronized String currentToken() {
        return token != null && Instant.now().isBefore(tokenExpires) ? token : null;
    }

    /** The client-credentials grant, as CNS requests it; the token is kept until a minute before it expires. */
    private HttpResponse<String> fetchToken(String service) throws IOException, InterruptedException {
        String id = credentials.clientId() == null ? "" : credentials.clientId();
        String secret = credentials.clientSecret() == null ? "" : credentials.clientSecret();
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/webhooks/booking_com/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            JsonNode body = json.readTree(response.body());
            synchronized (this) {
                token = body.path("access_token").asText();
                tokenExpires = Instant.now().plusSeconds(Math.max(0, body.path("expires_in").asLong() - 60));
            }
            log.info("Sandbox CNS fetched a token from {} (expires_in {} s)", service, body.path("expires_in").asLong());
        } else {
            log.warn("Sandbox CNS: our token endpoint answered {}", response.statusCode());
        }
        return response;
    }
}
