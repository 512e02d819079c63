package io.channelsync.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays Booking.com's Connectivity Notification Service in tests: fetches a token from our token
 * endpoint with the test profile's client credentials, as CNS does, and builds notifications of the
 * documented shape. Also makes the tokens CNS must never get through: signed with another key,
 * expired, for another audience.
 */
public final class Cns {

    public static final String TOKEN_PATH = "/api/v1/webhooks/booking_com/token";
    public static final String WEBHOOK_PATH = "/api/v1/webhooks/booking_com";
    /** From src/test/resources/application-test.yaml. */
    public static final String CLIENT_ID = "test-cns-client";
    public static final String CLIENT_SECRET = "test-cns-secret";
    public static final byte[] JWT_KEY = "test-cns-jwt-key-of-32-bytes-min".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private Cns() {
    }

    /** POSTs the client-credentials grant with HTTP Basic; the raw answer. */
    public static HttpResponse<String> requestToken(ApiClient api, String clientId, String clientSecret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return api.postRaw(TOKEN_PATH, "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basic));
    }

    /** A fresh token from our endpoint, as CNS fetches it. */
    public static String token(ApiClient api) {
        HttpResponse<String> response = requestToken(api, CLIENT_ID, CLIENT_SECRET);
        if (response.statusCode() != 200) {
            throw new AssertionError("token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return accessToken(response.body());
    }

    public static String accessToken(String json) {
        Matcher m = ACCESS_TOKEN.matcher(json);
        if (!m.find()) {
            throw new AssertionError("no access_token in " + json);
        }
        return m.group(1);
    }

    /** A notification of the documented shape: {"metadata": {"uuid", "type", "payloadVersion"}, "payload": {...}}. */
    public static byte[] notification(String uuid, String type, String payloadJson) {
        return """
                {"metadata": {"uuid": "%s", "type": "%s", "payloadVersion": "1.0"}, "payload": %s}"""
                .formatted(uuid, type, payloadJson).getBytes(StandardCharsets.UTF_8);
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** POSTs a notification with {@code Authorization: Bearer <token>} (no header when token is null). */
    public static HttpResponse<String> send(ApiClient api, String token, byte[] body) {
        return api.postRaw(WEBHOOK_PATH, body, token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token));
    }

    /** A token we did not issue or that must not pass: claims and key chosen by the test. */
    public static String token(byte[] key, String issuer, String audience, Instant issuedAt, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer(issuer).audience(audience).subject(CLIENT_ID).issueTime(Date.from(issuedAt))
                    .expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString()).build());
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
