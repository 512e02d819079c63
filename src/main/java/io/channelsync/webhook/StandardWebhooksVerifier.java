package io.channelsync.webhook;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Scheme {@code standard-webhooks} (https://www.standardwebhooks.com; for a relay in front of Booking.com,
 * whose own notifications use {@code cns-jwt}):
 * headers {@code webhook-id} (the event id), {@code webhook-timestamp} (unix seconds) and
 * {@code webhook-signature}, a space-separated list of {@code v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>}.
 * Secrets are {@code whsec_<base64 key>}; the key is the decoded bytes. Any listed signature
 * matching any configured secret passes; the timestamp must be within the tolerance.
 */
@Component
public class StandardWebhooksVerifier extends SignatureVerifier {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    @Autowired
    public StandardWebhooksVerifier(WebhookProperties properties) {
        this(properties, Clock.systemUTC());
    }

    StandardWebhooksVerifier(WebhookProperties properties, Clock clock) {
        super(properties, clock);
    }

    @Override
    public String scheme() {
        return "standard-webhooks";
    }

    @Override
    public Verified verify(Function<String, String> header, byte[] body, List<String> secrets, Instant now, Duration tolerance) {
        String id = header.apply(ID);
        String timestamp = header.apply(TIMESTAMP);
        String signature = header.apply(SIGNATURE);
        if (id == null || timestamp == null || signature == null) {
            throw WebhookRejection.signature("missing " + ID + ", " + TIMESTAMP + " or " + SIGNATURE + " header");
        }
        if (id.isBlank() || id.length() > 256) {
            throw WebhookRejection.signature("malformed " + ID + " header");
        }
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : signature.trim().split(" +")) {
            String[] parts = entry.split(",", 2);
            if (parts.length != 2) {
                throw WebhookRejection.signature("malformed " + SIGNATURE + " header");
            }
            if (!parts[0].equals("v1")) {
                continue; // another version (e.g. v1a, asymmetric): not ours to check
            }
            try {
                signatures.add(Base64.getDecoder().decode(parts[1]));
            } catch (IllegalArgumentException e) {
                throw WebhookRejection.signature("malformed " + SIGNATURE + " header: not base64");
            }
        }
        if (signatures.isEmpty()) {
            throw WebhookRejection.signature("malformed " + SIGNATURE + " header: no v1 signature");
        }
        Instant signedAt = checkTimestamp(timestamp.trim(), now, tolerance);
        boolean match = false;
        for (String secret : secrets) {
            byte[] expected = signature(secret, id, timestamp.trim(), body);
            for (byte[] given : signatures) {
                match |= MessageDigest.isEqual(expected, given);
            }
        }
        if (!match) {
            throw WebhookRejection.signature("signature does not match");
        }
        return new Verified(signedAt, id);
    }

    /**
     * The {@code webhook-signature} header we send (outgoing events, {@code subscription/}): {@code v1,<base64>}
     * over {@code "<id>.<timestamp>.<body>"}, keyed by the base64 part of the {@code whsec_} secret.
     */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(signature(secret, id, Long.toString(timestamp), body));
    }

    private static byte[] signature(String secret, String id, String timestamp, byte[] body) {
        return hmacSha256(key(secret), (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }

    /** {@code whsec_<base64>} → the key bytes. */
    public static byte[] key(String secret) {
        String base64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a standard-webhooks secret is not whsec_<base64>"); // never echo the secret
        }
    }
}
