package io.channelsync.channel.bookingcom;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the JWTs CNS presents (Nimbus JOSE+JWT): HS256 under
 * {@code channel-sync.webhooks.booking-com.jwt-key}, claims {@code iss}, {@code aud}, {@code sub}
 * (the client id), {@code iat}, {@code exp}, {@code jti}. HS256 because issuer and verifier are the
 * same service: one shared secret, nothing to publish. A key that is set but unusable (not base64,
 * shorter than 32 bytes) stops the start-up; a key that is not set leaves CNS unconfigured (the
 * token endpoint answers 503, every notification 401), logged once here.
 */
@Component
public class CnsTokens {

    private static final Logger log = LoggerFactory.getLogger(CnsTokens.class);
    private static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;

    private final CnsProperties properties;
    private final Clock clock;
    private final byte[] key;

    @Autowired
    public CnsTokens(CnsProperties properties) {
        this(properties, Clock.systemUTC());
    }

    CnsTokens(CnsProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.key = properties.jwtKey() == null ? null : decode(properties.jwtKey());
        if (!configured()) {
            log.warn("Booking.com CNS is not configured (CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_CLIENT_ID, _CLIENT_SECRET and _JWT_KEY "
                    + "must all be set): the token endpoint answers 503 and every notification is refused with 401");
        }
    }

    /** Whether client id, secret and key are all set. */
    public boolean configured() {
        return key != null && properties.clientId() != null && properties.clientSecret() != null;
    }

    public record Issued(String token, long expiresIn) {
    }

    /** A fresh token for the client. */
    public Issued issue(String clientId) {
        Instant now = clock.instant();
        Instant expires = now.plus(properties.tokenLifetime());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .audience(properties.audience())
                .subject(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(ALGORITHM), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a CNS token", e);
        }
        return new Issued(jwt.serialize(), properties.tokenLifetime().toSeconds());
    }

    /**
     * Checks signature (HS256 under our key only: {@code alg: none} or another algorithm is refused),
     * issuer, audience, expiry (with the configured clock skew) and the required claims.
     *
     * @return the verified claims
     * @throws InvalidToken with a reason that never contains the token
     */
    public JWTClaimsSet verify(String token) {
        if (key == null) {
            throw new InvalidToken("no JWT key is configured for Booking.com CNS");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHM, new ImmutableSecret<>(key)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(properties.audience(),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(), Set.of("sub", "iat", "exp", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) properties.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidToken("the bearer token is not a JWT");
        } catch (BadJOSEException e) {
            throw new InvalidToken(e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidToken("the bearer token could not be verified: " + e.getMessage());
        }
    }

    /** A token we refuse; the message says why and never repeats the token. */
    public static class InvalidToken extends RuntimeException {
        public InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    private static byte[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("channel-sync.webhooks.booking-com.jwt-key (CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_JWT_KEY) is not base64");
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("channel-sync.webhooks.booking-com.jwt-key (CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_JWT_KEY) must decode to "
                    + "at least 32 bytes (HS256); it decodes to " + bytes.length);
        }
        return bytes;
    }
}
