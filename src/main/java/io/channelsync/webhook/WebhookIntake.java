package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiResponses;
import io.channelsync.channel.bookingcom.CnsNotifications;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The steps of the webhook intake route ({@code webhook-intake}) that are not the signature check:
 * read the exact bytes (413 above the limit), parse them and find the event id (400), commit the
 * row and hand it to the queue (202), or record a duplicate (200); refusals are logged as
 * {@code rejected} rows (see {@link #reject}), and a database that cannot take the row is a 503.
 */
@Component("webhookIntake")
public class WebhookIntake {

    public static final String PLATFORM = "webhookPlatform";
    public static final String RAW_BODY = "webhookRawBody";
    public static final String HEADERS = "webhookHeaders";
    public static final String SIGNATURE_VALID = "webhookSignatureValid";
    public static final String EVENT_ID = "webhookEventId";
    public static final String EVENT_TIME = "webhookEventTime";
    private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);
    /** Never stored: they would be credentials, not part of a channel's delivery. */
    private static final Set<String> UNSTORED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final WebhookProperties properties;
    private final WebhookLog webhookLog;
    private final WebhookQueue queue;
    private final ApiResponses responses;
    private final ObjectMapper json;

    public WebhookIntake(WebhookProperties properties, WebhookLog webhookLog, WebhookQueue queue,
                         ApiResponses responses, ObjectMapper json) {
        this.properties = properties;
        this.webhookLog = webhookLog;
        this.queue = queue;
        this.responses = responses;
        this.json = json;
    }

    /** Keeps the request headers and the exact body bytes (never a re-decoded string); 413 above the limit. */
    public void readBody(Exchange exchange) throws IOException {
        exchange.setProperty(HEADERS, headers(exchange));
        int limit = properties.maxBodyBytes();
        Long declared = exchange.getIn().getHeader("Content-Length", Long.class);
        if (declared != null && declared > limit) {
            throw WebhookRejection.tooLarge("body of " + declared + " bytes exceeds the limit of " + limit);
        }
        byte[] body;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes(limit + 1);
        }
        if (body.length > limit) {
            throw WebhookRejection.tooLarge("body exceeds the limit of " + limit + " bytes");
        }
        exchange.setProperty(RAW_BODY, body);
    }

    /** Parses the (signed) body as a JSON object and settles the event id and type; 400 otherwise. */
    public void parse(Exchange exchange) {
        String platform = exchange.getProperty(PLATFORM, String.class);
        byte[] body = exchange.getProperty(RAW_BODY, byte[].class);
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException e) {
            throw WebhookRejection.badRequest("body is not valid JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw WebhookRejection.badRequest("body is not a JSON object");
        }
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        String type = payload.path("airbnb".equals(platform) ? "action" : "type").asText(null);
        // --- Booking.com CNS (channel/bookingcom/CnsNotifications): {"metadata": {"uuid", "type", ...}, "payload": {...}}
        if ("booking_com".equals(platform) && CnsNotifications.isNotification(payload)) {
            eventId = eventId == null ? CnsNotifications.uuid(payload) : eventId;
            type = CnsNotifications.type(payload);
        }
        // --- end Booking.com CNS
        if (eventId == null && "airbnb".equals(platform)) {
            // Airbnb: the body's event_id, else the digest of the exact bytes (an identical redelivery is a duplicate)
            JsonNode given = payload.get("event_id");
            eventId = given != null && given.isValueNode() && !given.asText().isBlank() ? given.asText() : sha256(body);
        }
        if (eventId == null || eventId.isBlank()) {
            throw WebhookRejection.badRequest("the event id is missing");
        }
        exchange.setProperty(EVENT_ID, eventId);
        exchange.setProperty("webhookDelivery", new WebhookLog.Delivery(platform, eventId, type,
                exchange.getProperty(EVENT_TIME, Instant.class), exchange.getProperty(HEADERS, Map.class), body, payload, true));
    }

    /** Commits the row before answering: 202 and onto the queue, or 200 duplicate. */
    public void record(Exchange exchange) {
        WebhookLog.Delivery delivery = exchange.getProperty("webhookDelivery", WebhookLog.Delivery.class);
        Optional<Long> id = webhookLog.insertReceived(delivery);
        if (id.isEmpty()) {
            long duplicate = webhookLog.insertDuplicate(delivery);
            log.info("{} webhook event {} already logged; recorded as duplicate {}", delivery.platform(), delivery.eventId(), duplicate);
            responses.reply(exchange, 200, Map.of("status", "duplicate"));
            return;
        }
        log.debug("{} webhook event {} ({}) stored as {}", delivery.platform(), delivery.eventId(), delivery.eventType(), id.get());
        queue.handOver(id.get());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id.get());
        answer.put("status", "queued");
        responses.reply(exchange, 202, answer);
    }

    /** Logs a refused delivery as {@code rejected} (with the reason) and answers its status. */
    public void reject(Exchange exchange) {
        WebhookRejection rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejection.class);
        String platform = exchange.getProperty(PLATFORM, String.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = exchange.getProperty(HEADERS, Map.class);
        try {
            long id = webhookLog.insertRejected(platform, headers, exchange.getProperty(RAW_BODY, byte[].class),
                    Boolean.TRUE.equals(exchange.getProperty(SIGNATURE_VALID, Boolean.class)), rejection.getMessage());
            log.warn("{} webhook refused with {} and logged as rejected {}: {}", platform, rejection.status(), id, rejection.getMessage());
        } catch (RuntimeException e) {
            log.error("{} webhook refused with {} ({}), and the rejection could not be logged", platform, rejection.status(),
                    rejection.getMessage(), e);
        }
        responses.reply(exchange, rejection.status(), Map.of("error", rejection.error(), "message", rejection.getMessage()));
    }

    /** The database could not take the row: 503, so the channel delivers again later. */
    public void unavailable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("{} webhook not stored, answered 503: {}", exchange.getProperty(PLATFORM), cause == null ? "?" : org.springframework.core.NestedExceptionUtils.getMostSpecificCause(cause).getMessage());
        responses.reply(exchange, 503, Map.of("error", "unavailable", "message", "the event could not be stored; deliver it again later"));
        exchange.getMessage().setHeader("Retry-After", "30");
    }

    private static Map<String, String> headers(Exchange exchange) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getIn().getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel") && !UNSTORED_HEADERS.contains(name.toLowerCase())) {
                headers.put(name, value.toString());
            }
        });
        return new LinkedHashMap<>(headers);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
