package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelProperties;
import io.channelsync.channel.BearerTokens;
import io.channelsync.channel.ChannelHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The Booking.com machine-account token, shared by every Booking.com call (webhook pulls,
 * availability pushes, reconciliation). The client id and secret are exchanged for a JWT that is
 * valid for an hour, and Booking.com allows at most 30 exchanges an hour, so the token is cached
 * and renewed only when it is within {@link #REFRESH_MARGIN} of expiring (or after a 401).
 */
@Component
public class BookingComTokenProvider implements BearerTokens {

    private static final Logger log = LoggerFactory.getLogger(BookingComTokenProvider.class);
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private final ChannelProperties.BookingCom config;
    private final ChannelHttp http;
    private final ObjectMapper json;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;
    private int exchanges;

    public BookingComTokenProvider(ChannelProperties properties, ChannelHttp http, ObjectMapper json) {
        this.config = properties.bookingCom();
        this.http = http;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /** A valid token, exchanging the credentials only when the cached one is (nearly) expired. */
    @Override
    public synchronized String token() throws IOException {
        if (token == null || clock.instant().isAfter(expiresAt.minus(REFRESH_MARGIN))) {
            exchange();
        }
        return token;
    }

    /** Forget the cached token (the channel answered 401 with it). */
    @Override
    public synchronized void invalidate() {
        token = null;
    }

    /** How many times credentials were exchanged since start-up (the channel allows 30 an hour). */
    public synchronized int exchanges() {
        return exchanges;
    }

    private void exchange() throws IOException {
        String body = json.writeValueAsString(Map.of("client_id", nullToEmpty(config.clientId()),
                "client_secret", nullToEmpty(config.clientSecret())));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.effectiveTokenUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.call("booking_com", "token exchange", request, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = json.readTree(response.body());
        String jwt = answer.path("jwt").asText(null);
        if (jwt == null || jwt.isBlank()) {
            throw new IOException("token exchange answered without a jwt");
        }
        long expiresIn = answer.path("expires_in").asLong(TOKEN_LIFETIME.toSeconds());
        token = jwt;
        expiresAt = clock.instant().plusSeconds(expiresIn);
        exchanges++;
        log.info("Booking.com machine-account token renewed (exchange #{} since start-up), valid until {}", exchanges, expiresAt);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
