package io.channelsync.channel.bookingcom;

import io.channelsync.channel.BearerTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The Booking.com machine-account token, shared by every Booking.com call (reservation polls and
 * acknowledgements, availability pushes, reconciliation). Per Booking.com's token-based authentication
 * page: {@code POST {token-url}} with {@code {"client_id", "client_secret"}} answers {@code {"jwt": ...}},
 * valid one hour; at most 30 tokens an hour.
 * <p>
 * The token is cached until {@link #REFRESH_MARGIN} before it expires (or a 401). Exchanges are counted
 * over a rolling hour: past {@code channel-sync.channels.booking-com.token-exchanges-per-hour} an exchange
 * is refused and logged without any call (an {@link IOException}: the caller's retry policy applies).
 * Exchanging never runs inside a database transaction: callers are channel calls, made outside them.
 */
@Component
public class BookingComTokenProvider implements BearerTokens {

    private static final Logger log = LoggerFactory.getLogger(BookingComTokenProvider.class);
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    static final Duration QUOTA_WINDOW = Duration.ofHours(1);

    private final ChannelProperties.BookingCom config;
    private final int quota;
    private final ChannelHttp http;
    private final ObjectMapper json;
    private final Clock clock;
    private final Deque<Instant> recentExchanges = new ArrayDeque<>();
    private String token;
    private Instant expiresAt = Instant.MIN;
    private int exchanges;

    @Autowired
    public BookingComTokenProvider(ChannelProperties properties, BookingComReservationProperties reservations,
                                   ChannelHttp http, ObjectMapper json) {
        this(properties.bookingCom(), reservations.tokenExchangesPerHour(), http, json, Clock.systemUTC());
    }

    BookingComTokenProvider(ChannelProperties.BookingCom config, int quota, ChannelHttp http, ObjectMapper json, Clock clock) {
        this.config = config;
        this.quota = quota;
        this.http = http;
        this.json = json;
        this.clock = clock;
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

    /** How many times credentials were exchanged since start-up. */
    public synchronized int exchanges() {
        return exchanges;
    }

    private void exchange() throws IOException {
        Instant now = clock.instant();
        while (!recentExchanges.isEmpty() && !recentExchanges.peekFirst().isAfter(now.minus(QUOTA_WINDOW))) {
            recentExchanges.removeFirst();
        }
        if (recentExchanges.size() >= quota) {
            Instant next = recentExchanges.peekFirst().plus(QUOTA_WINDOW);
            log.error("Booking.com token exchange refused: {} exchanges in the last hour already (Booking.com allows {}); "
                    + "no call made, next exchange possible at {}", recentExchanges.size(), quota, next);
            throw new IOException("Booking.com token exchange quota reached (" + quota + " an hour); next possible at " + next);
        }
        recentExchanges.addLast(now); // counted whether or not it succeeds: Booking.com may have issued a token
        exchanges++;
        String body = json.writeValueAsString(Map.of("client_id", nullToEmpty(config.clientId()),
                "client_secret", nullToEmpty(config.clientSecret())));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.effectiveTokenUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.call(BookingComConnector.PLATFORM, "token exchange", request, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = json.readTree(response.body());
        String jwt = answer.path("jwt").asText(null);
        if (jwt == null || jwt.isBlank()) {
            throw new IOException("token exchange answered without a jwt");
        }
        long expiresIn = answer.path("expires_in").asLong(TOKEN_LIFETIME.toSeconds());
        token = jwt;
        expiresAt = clock.instant().plusSeconds(expiresIn);
        log.info("Booking.com machine-account token renewed ({} exchange(s) in the last hour, {} since start-up), valid until {}",
                recentExchanges.size(), exchanges, expiresAt);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
