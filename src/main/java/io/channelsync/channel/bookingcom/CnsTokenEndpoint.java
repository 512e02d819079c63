package io.channelsync.channel.bookingcom;

import io.channelsync.api.ApiResponses;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/webhooks/booking_com/token} (route {@code booking-com-cns-token}): the OAuth 2.0
 * client-credentials grant (RFC 6749 §4.4) CNS uses to fetch the JWT it sends notifications with.
 * Form body {@code grant_type=client_credentials}; the client authenticates with HTTP Basic
 * ({@code client_id:client_secret}, each form-urlencoded, RFC 6749 §2.3.1) or with
 * {@code client_id}/{@code client_secret} in the body, never both. Answers
 * {@code {"access_token", "token_type": "Bearer", "expires_in"}} with {@code Cache-Control: no-store};
 * errors per RFC 6749 §5.2: 400 {@code invalid_request} / {@code unsupported_grant_type}, 401
 * {@code invalid_client} with {@code WWW-Authenticate}; 503 {@code temporarily_unavailable} while
 * CNS is not configured. Neither the secret nor the token is ever logged.
 */
@Component("cnsTokenEndpoint")
public class CnsTokenEndpoint {

    private static final Logger log = LoggerFactory.getLogger(CnsTokenEndpoint.class);
    /** A client-credentials request is a few hundred bytes; anything far larger is not one. */
    private static final int MAX_BODY_BYTES = 8192;

    private final CnsProperties properties;
    private final CnsTokens tokens;
    private final ApiResponses responses;

    public CnsTokenEndpoint(CnsProperties properties, CnsTokens tokens, ApiResponses responses) {
        this.properties = properties;
        this.tokens = tokens;
        this.responses = responses;
    }

    public void token(Exchange exchange) throws IOException {
        if (!tokens.configured()) {
            log.warn("Booking.com CNS token request answered 503: CNS client id, secret or JWT key not configured");
            error(exchange, 503, "temporarily_unavailable", "Booking.com CNS is not configured on this service");
            return;
        }
        Map<String, String> form;
        try {
            form = form(exchange);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "invalid_request", e.getMessage());
            return;
        }
        String grant = form.get("grant_type");
        if (grant == null) {
            error(exchange, 400, "invalid_request", "grant_type is missing");
            return;
        }
        if (!"client_credentials".equals(grant)) {
            error(exchange, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
            return;
        }
        String basic = exchange.getIn().getHeader("Authorization", String.class);
        boolean inBody = form.containsKey("client_id") || form.containsKey("client_secret");
        String[] client;
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (inBody) {
                error(exchange, 400, "invalid_request", "client credentials given both by HTTP Basic and in the body");
                return;
            }
            client = basic(basic.substring(6).trim());
        } else {
            client = new String[]{form.get("client_id"), form.get("client_secret")};
        }
        if (client == null || client[0] == null || client[1] == null) {
            invalidClient(exchange, "client authentication is missing or malformed");
            return;
        }
        // both compared, always, in constant time: neither which part was wrong nor how much of it leaks
        boolean idMatches = sameSecret(client[0], properties.clientId());
        boolean secretMatches = sameSecret(client[1], properties.clientSecret());
        if (!(idMatches & secretMatches)) {
            invalidClient(exchange, "unknown client or wrong secret");
            return;
        }
        CnsTokens.Issued issued = tokens.issue(client[0]);
        log.info("Booking.com CNS token issued to client {} (valid {} s)", client[0], issued.expiresIn());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issued.expiresIn());
        responses.reply(exchange, 200, answer);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("Pragma", "no-cache");
    }

    private void invalidClient(Exchange exchange, String reason) {
        log.warn("Booking.com CNS token request refused with 401 invalid_client: {}", reason);
        error(exchange, 401, "invalid_client", "client authentication failed");
        exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"channel-sync booking_com cns\"");
    }

    private void error(Exchange exchange, int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        responses.reply(exchange, status, body);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("Pragma", "no-cache");
    }

    /**
     * The form parameters. With a form content type platform-http has already parsed the body into
     * a Map (CAMEL-NOTES 2); otherwise the raw bytes are parsed here. A repeated parameter is refused
     * (RFC 6749 §3.2).
     */
    private static Map<String, String> form(Exchange exchange) throws IOException {
        Object body = exchange.getIn().getBody();
        Map<String, String> form = new HashMap<>();
        if (body instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof Iterable<?> || v instanceof Object[]) {
                    throw new IllegalArgumentException("parameter " + k + " is repeated");
                }
                form.put(String.valueOf(k), v == null ? null : String.valueOf(v));
            });
            return form;
        }
        byte[] raw;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            raw = in == null ? new byte[0] : in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String text = new String(raw, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (form.put(name, value) != null) {
                throw new IllegalArgumentException("parameter " + name + " is repeated");
            }
        }
        return form;
    }

    /** {@code base64(urlencode(id):urlencode(secret))} → {id, secret}, or null when malformed. */
    private static String[] basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[]{URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Constant time, also in the length: compares SHA-256 digests. */
    private static boolean sameSecret(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
