package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiResponses;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.InboundEvents;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The steps of the webhook intake route ({@code webhook-intake}) that are not the signature check:
 * settle the platform of the path (404 unless a registered channel takes webhooks), read the exact bytes (413 above the limit), parse them and find the event id (400), commit the
 * row and hand it to the queue (202), or record a duplicate (200); refusals are logged as
 * {@code rejected} rows (see {@link #reject}), and a database that cannot take the row is a 503.
 */
@Component("webhookIntake")
public class WebhookIntake {

    /** The path parameter of {@code /api/v1/webhooks/{platform}} (a header, as platform-http sets it). */
    public static final String PLATFORM_PATH_PARAMETER = "platform";
    // exchange properties the intake steps hand on to each other
    public static final String PLATFORM = "webhookPlatform";
    public static final String RAW_BODY = "webhookRawBody";
    public static final String HEADERS = "webhookHeaders";
    public static final String SIGNATURE_VALID = "webhookSignatureValid";
    public static final String EVENT_ID = "webhookEventId";
    public static final String EVENT_TIME = "webhookEventTime";
    public static final String DELIVERY = "webhookDelivery";
    private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);
    /** Never stored: they would be credentials, not part of a channel's delivery. */
    private static final Set<String> UNSTORED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final WebhookProperties properties;
    private final WebhookLog webhookLog;
    private final WebhookCommits commits;
    private final ApiResponses responses;
    private final ObjectMapper json;
    private final Channels channels;

    public WebhookIntake(WebhookProperties properties, WebhookLog webhookLog, WebhookCommits commits,
                         ApiResponses responses, ObjectMapper json, Channels channels) {
        this.properties = properties;
        this.webhookLog = webhookLog;
        this.commits = commits;
        this.responses = responses;
        this.json = json;
        this.channels = channels;
    }

    /**
     * The platform of the path, if a registered channel takes webhooks: 404 otherwise (logged, and
     * not written to webhook_log: a stranger's path is not a channel's delivery).
     */
    public void platform(Exchange exchange) {
        String platform = exchange.getIn().getHeader(PLATFORM_PATH_PARAMETER, String.class);
        exchange.getIn().removeHeader(PLATFORM_PATH_PARAMETER); // not a request header: not stored with the delivery
        if (channels.find(platform).flatMap(ChannelConnector::inbound).isEmpty()) {
            log.warn("Webhook for unknown platform '{}' refused with 404 (registered: {})", shorten(platform), channels.platforms());
            throw ApiException.notFound("webhook platform", shorten(platform));
        }
        exchange.setProperty(PLATFORM, platform);
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

    /** Parses the (signed) body as a JSON object; the platform's connector names the event id and type; 400 otherwise. */
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
        InboundEvents.EventName name = channels.get(platform).inbound().orElseThrow()
                .name(payload, body, exchange.getProperty(EVENT_ID, String.class));
        String eventId = name.id();
        if (eventId == null || eventId.isBlank()) {
            throw WebhookRejection.badRequest("the event id is missing");
        }
        exchange.setProperty(EVENT_ID, eventId);
        exchange.setProperty(DELIVERY, new WebhookLog.Delivery(platform, eventId, name.type(),
                exchange.getProperty(EVENT_TIME, Instant.class), exchange.getProperty(HEADERS, Map.class), body, payload, true));
    }

    /**
     * Commits the row (grouped with concurrent deliveries, {@link WebhookCommits}) before answering:
     * 202 {@code queued}, or 200 {@code duplicate}. The committer hands new rows to the queue.
     */
    public void record(Exchange exchange) {
        WebhookLog.Delivery delivery = exchange.getProperty(DELIVERY, WebhookLog.Delivery.class);
        WebhookLog.Stored stored = commits.store(delivery);
        if (stored.duplicate()) {
            log.debug("{} webhook event {} already logged; recorded as duplicate", delivery.platform(), delivery.eventId());
            responses.reply(exchange, 200, Map.of("status", "duplicate"));
            return;
        }
        log.debug("{} webhook event {} ({}) stored as {}", delivery.platform(), delivery.eventId(), delivery.eventType(), stored.id());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", stored.id());
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

    /** A path segment fit for a log line and an answer: at most 40 characters, nothing but word characters, '-' and '.'. */
    private static String shorten(String value) {
        String safe = value == null ? "" : value.replaceAll("[^\\w.-]", "?");
        return safe.length() <= 40 ? safe : safe.substring(0, 40) + "...";
    }

}
