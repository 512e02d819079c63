package io.channelsync.webhook;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Scheme {@code timestamped-hmac} (Airbnb's default): header
 * {@code X-Airbnb-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}.
 * Several {@code v1=} entries may appear (the channel signs with each of its secrets during a
 * rotation); any one matching any configured secret passes. The timestamp must be within the
 * tolerance, and it is the event time used for ordering. Secrets are used as their UTF-8 bytes.
 */
@Component
public class TimestampedHmacVerifier extends SignatureVerifier {

    public static final String HEADER = "X-Airbnb-Signature";
    /** Compiled once: String.matches compiled it on every delivery, the intake's hottest frame in the profile. */
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    @Autowired
    public TimestampedHmacVerifier(WebhookProperties properties) {
        this(properties, Clock.systemUTC());
    }

    TimestampedHmacVerifier(WebhookProperties properties, Clock clock) {
        super(properties, clock);
    }

    @Override
    public String scheme() {
        return "timestamped-hmac";
    }

    @Override
    public Verified verify(Function<String, String> header, byte[] body, List<String> secrets, Instant now, Duration tolerance) {
        String value = header.apply(HEADER);
        if (value == null || value.isBlank()) {
            throw WebhookRejection.signature("missing " + HEADER + " header");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : value.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw WebhookRejection.signature("malformed " + HEADER + " header");
            }
            switch (kv[0].trim()) {
                case "t" -> {
                    if (timestamp != null) {
                        throw WebhookRejection.signature("malformed " + HEADER + " header: two timestamps");
                    }
                    timestamp = kv[1].trim();
                }
                case "v1" -> {
                    String hex = kv[1].trim();
                    if (!HEX_SHA256.matcher(hex).matches()) {
                        throw WebhookRejection.signature("malformed " + HEADER + " header: v1 is not a hex SHA-256");
                    }
                    signatures.add(HexFormat.of().parseHex(hex)); // either case
                }
                default -> { } // other versions are ignored, as in the partner spec
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw WebhookRejection.signature("malformed " + HEADER + " header: t= and v1= are required");
        }
        Instant signedAt = checkTimestamp(timestamp, now, tolerance);
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String secret : secrets) {
            byte[] expected = hmacSha256(secret.getBytes(StandardCharsets.UTF_8), prefix, body);
            for (byte[] given : signatures) {
                match |= MessageDigest.isEqual(expected, given); // constant time, and no early exit
            }
        }
        if (!match) {
            throw WebhookRejection.signature("signature does not match");
        }
        return new Verified(signedAt, null);
    }
}
