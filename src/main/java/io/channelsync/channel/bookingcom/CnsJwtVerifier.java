package io.channelsync.channel.bookingcom;

import io.channelsync.webhook.SignatureVerifier;
import io.channelsync.webhook.WebhookProperties;
import io.channelsync.webhook.WebhookRejection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Scheme {@code cns-jwt} (Booking.com's default): Booking.com's Connectivity Notification Service
 * sends {@code Authorization: Bearer <JWT>}, a token it fetched from our own token endpoint
 * ({@link CnsTokenEndpoint}). The token's signature, issuer, audience and expiry are checked by
 * {@link CnsTokens}; a missing, forged, expired or foreign token is a 401 (logged {@code rejected},
 * the reason without the token; the intake never stores the Authorization header). The body is not
 * signed by this scheme: the event id is the notification's {@code metadata.uuid}
 * ({@link CnsNotifications}), the event time the time of receipt.
 */
@Component
public class CnsJwtVerifier extends SignatureVerifier {

    public static final String SCHEME = "cns-jwt";

    private final CnsTokens tokens;

    @Autowired
    public CnsJwtVerifier(WebhookProperties properties, CnsTokens tokens) {
        this(properties, tokens, Clock.systemUTC());
    }

    CnsJwtVerifier(WebhookProperties properties, CnsTokens tokens, Clock clock) {
        super(properties, clock);
        this.tokens = tokens;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** The token is the credential; webhook secrets play no part. */
    @Override
    public boolean usesSecrets() {
        return false;
    }

    @Override
    public Verified verify(Function<String, String> header, byte[] body, List<String> secrets, Instant now, Duration tolerance) {
        String authorization = header.apply("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw WebhookRejection.signature("missing Authorization: Bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw WebhookRejection.signature("Authorization is not a Bearer token");
        }
        try {
            tokens.verify(authorization.substring(7).trim());
        } catch (CnsTokens.InvalidToken e) {
            throw WebhookRejection.signature("invalid bearer token: " + e.getMessage());
        }
        return new Verified(now, null);
    }
}
