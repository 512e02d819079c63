package io.channelsync.webhook;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.api.Rows;
import io.channelsync.channel.Channels;
import io.channelsync.deadletter.DeadLetters;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The inbound event log (issue 14.1, routes/webhook-events-api.camel.yaml): {@code GET /api/v1/webhooks} (filters
 * platform, status, from, to, listing_id, agency_id for operators; paged, newest first), {@code GET /api/v1/webhooks/{id}}
 * (headers without credentials, the raw body, every processing attempt), {@code POST /api/v1/webhooks/{id}/replay} and
 * {@code POST /api/v1/webhooks/replay} (a filter). A replay puts the stored event back on the processing queue, where it
 * is applied under the same version rules as on arrival ({@link ChannelBookings#upsert}: only a strictly newer version
 * changes a booking), so replaying an old event changes nothing. An agency sees the events applied to its mappings
 * only; rejected and duplicate deliveries, and events no mapping took yet, are for operators.
 */
@Component("webhookEventResource")
public class WebhookEventResource {

    /** Header names whose values are credentials or signatures: shown as {@value #REDACTED}, never their value. */
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(signature|authorization|cookie|token|secret|api-key|apikey).*");
    static final String REDACTED = "[redacted]";
    private static final Logger log = LoggerFactory.getLogger(WebhookEventResource.class);

    /** Body of POST /api/v1/webhooks/replay; every field optional. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReplayFilter(String platform, String status, String from, String to, String listingId, String agencyId,
                               Integer limit) {
    }

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final WebhookLog webhookLog;
    private final WebhookAttempts attempts;
    private final WebhookQueue queue;
    private final DeadLetters deadLetters;
    private final Channels channels;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public WebhookEventResource(ApiRequests requests, ApiResponses responses, WebhookLog webhookLog, WebhookAttempts attempts,
                                WebhookQueue queue, DeadLetters deadLetters, Channels channels, TransactionTemplate tx, ObjectMapper json) {
        this.requests = requests;
        this.responses = responses;
        this.webhookLog = webhookLog;
        this.attempts = attempts;
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.channels = channels;
        this.tx = tx;
        this.json = json;
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        WebhookLog.Filter filter = new WebhookLog.Filter(ApiRequests.queryOneOf(exchange, "platform", channels.platforms()),
                ApiRequests.queryOneOf(exchange, "status", WebhookLog.STATUSES), ApiRequests.queryInstant(exchange, "from"),
                ApiRequests.queryInstant(exchange, "to"), query(exchange, "listing_id"), ApiRequests.queryUuid(exchange, "agency_id"),
                caller.operator(), caller.agencyId());
        responses.reply(exchange, 200, page.of(webhookLog.page(filter, page.limit() + 1, page.offset(), Rows.json(json))));
    }

    public void get(Exchange exchange) {
        long id = ApiRequests.pathLong(exchange, "id", "webhook");
        Map<String, Object> event = visible(exchange, id);
        event.put("headers", redacted((JsonNode) event.get("headers")));
        byte[] raw = (byte[]) event.remove("raw_body");
        Object payload = event.remove("payload");
        String utf8 = utf8(raw);
        event.put("raw_body", utf8 != null ? utf8 : raw == null ? null : Base64.getEncoder().encodeToString(raw));
        event.put("raw_body_encoding", raw == null ? null : utf8 != null ? "utf-8" : "base64");
        event.put("payload", payload);
        event.put("replayable", WebhookLog.REPLAYABLE.contains((String) event.get("status")));
        event.put("attempts", attempts.of(id, Rows.json(json)));
        responses.reply(exchange, 200, event);
    }

    /** 202 {@code {"id", "status": "queued"}}; 409 when the event is not processed, failed or unmapped. */
    public void replay(Exchange exchange) {
        long id = ApiRequests.pathLong(exchange, "id", "webhook");
        Map<String, Object> event = visible(exchange, id);
        List<Long> taken = replay(id, new WebhookLog.Filter(null, null, null, null, null, null, true, null), 1);
        if (taken.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("id", id);
            details.put("status", event.get("status"));
            throw ApiException.conflict("webhook " + id + " is " + event.get("status") + ": only "
                    + WebhookLog.REPLAYABLE.stream().sorted().toList() + " events are replayed", details);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", id);
        reply.put("status", "queued");
        responses.reply(exchange, 202, reply);
    }

    /**
     * Replays the events matching the body's filter (an agency: its own only), oldest first, at most {@code limit}
     * (default 100, at most 1000); {@code status} one of processed, failed (the default), unmapped.
     * 202 {@code {"replayed": [ids]}}.
     */
    public void replayBatch(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ReplayFilter body = requests.readOptional(exchange, ReplayFilter.class, new ReplayFilter(null, null, null, null, null, null, null));
        String platform = oneOf("platform", body.platform(), channels.platforms());
        String status = body.status() == null ? "failed" : oneOf("status", body.status(), WebhookLog.REPLAYABLE);
        UUID agency;
        try {
            agency = body.agencyId() == null ? null : UUID.fromString(body.agencyId());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("agency_id", "uuid", "agency_id must be a UUID");
        }
        int limit = body.limit() == null ? 100 : body.limit();
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalidField("limit", "range", "limit must be between 1 and 1000");
        }
        WebhookLog.Filter filter = new WebhookLog.Filter(platform, status, ApiRequests.instant("from", body.from()),
                ApiRequests.instant("to", body.to()), body.listingId(), agency, caller.operator(), caller.agencyId());
        responses.reply(exchange, 202, Map.of("replayed", replay(null, filter, limit)));
    }

    /** Reopens the rows and closes their open dead letters in one transaction, then hands them to the queue. */
    private List<Long> replay(Long id, WebhookLog.Filter filter, int limit) {
        List<Long> taken = tx.execute(s -> {
            List<Long> ids = webhookLog.reopenForReplay(id, filter, limit);
            deadLetters.replayedWebhooks(ids);
            return ids;
        });
        if (!taken.isEmpty()) {
            int enqueued = queue.offer(taken); // a full queue releases the rest: the recovery sweep takes them
            log.info("Replaying {} webhook event(s) {}{}", taken.size(), taken.size() > 10 ? taken.subList(0, 10) + "..." : taken,
                    enqueued < taken.size() ? " (" + (taken.size() - enqueued) + " left for the recovery sweep: the queue is full)" : "");
        }
        return taken;
    }

    private Map<String, Object> visible(Exchange exchange, long id) {
        Caller caller = Caller.of(exchange);
        return webhookLog.find(id, caller.operator(), caller.agencyId(), Rows.json(json))
                .map(LinkedHashMap::new).orElseThrow(() -> ApiException.notFound("webhook", id));
    }

    private ObjectNode redacted(JsonNode headers) {
        ObjectNode shown = json.createObjectNode();
        if (headers != null) {
            headers.fields().forEachRemaining(h -> shown.set(h.getKey(),
                    SECRET_HEADER.matcher(h.getKey()).matches() ? json.getNodeFactory().textNode(REDACTED) : h.getValue()));
        }
        return shown;
    }

    /** The bytes as text if they are valid UTF-8, else null. */
    private static String utf8(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String query(Exchange exchange, String name) {
        String raw = exchange.getIn().getHeader(name, String.class);
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ApiException.invalidField(field, "one_of", field + " must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }
}
