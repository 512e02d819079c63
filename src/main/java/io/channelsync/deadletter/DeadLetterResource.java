package io.channelsync.deadletter;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.api.Rows;
import io.channelsync.channel.Channels;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The dead-letter API: {@code GET /api/v1/deadletters} (filters status, platform, agency_id, source;
 * paginated), {@code GET /api/v1/deadletters/{id}}, {@code POST /api/v1/deadletters/{id}/requeue}
 * (202; 409 when not open), {@code POST /api/v1/deadletters/requeue} (the open entries matching
 * {@code {"platform", "agency_id", "source", "limit"}}; 202 with what was requeued and what refused),
 * {@code POST /api/v1/deadletters/{id}/discard}. An agency sees only its own entries (entries
 * without an agency, such as webhook deliveries, are for operators); another agency's entry is a 404.
 */
@Component("deadLetterResource")
public class DeadLetterResource {

    static final Set<String> STATUSES = Set.of("open", "requeued", "discarded");
    static final Set<String> SOURCES = Set.of("sync", "webhook");
    private static final String COLUMNS = """
            id, source, source_route, sync_log_id, webhook_log_id, agency_id, platform, status, exception_class,
            exception_message, attempt_count, first_failure_at, deadlettered_at, requeue_count, requeued_at, discarded_at""";

    /** Body of POST /api/v1/deadletters/requeue; every field optional. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RequeueFilter(String platform, String agencyId, String source, Integer limit) {
    }

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;
    private final DeadLetters deadLetters;
    private final Channels channels;

    public DeadLetterResource(ApiRequests requests, ApiResponses responses, NamedParameterJdbcTemplate sql, ObjectMapper json,
                              DeadLetters deadLetters, Channels channels) {
        this.requests = requests;
        this.responses = responses;
        this.sql = sql;
        this.json = json;
        this.deadLetters = deadLetters;
        this.channels = channels;
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        MapSqlParameterSource p = filter(caller, ApiRequests.queryOneOf(exchange, "status", STATUSES),
                ApiRequests.queryOneOf(exchange, "platform", channels.platforms()), ApiRequests.queryUuid(exchange, "agency_id"),
                ApiRequests.queryOneOf(exchange, "source", SOURCES))
                .addValue("limit", page.limit() + 1).addValue("offset", page.offset());
        List<Map<String, Object>> items = sql.query("select " + COLUMNS + " from deadletters " + WHERE
                + " order by id desc limit :limit offset :offset", p, Rows.json(json));
        responses.reply(exchange, 200, page.of(items));
    }

    public void get(Exchange exchange) {
        responses.reply(exchange, 200, visible(exchange, "*"));
    }

    public void requeue(Exchange exchange) {
        long id = (Long) visible(exchange, "id").get("id");
        deadLetters.requeue(id);
        responses.reply(exchange, 202, Map.of("id", id, "status", "requeued"));
    }

    public void discard(Exchange exchange) {
        long id = (Long) visible(exchange, "id").get("id");
        deadLetters.discard(id);
        responses.reply(exchange, 200, Map.of("id", id, "status", "discarded"));
    }

    /** Requeues the open entries matching the body's filter (an agency: its own only), at most limit (default 100, max 1000). */
    public void requeueBatch(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        RequeueFilter body = requests.readOptional(exchange, RequeueFilter.class, new RequeueFilter(null, null, null, null));
        String platform = oneOf("platform", body.platform(), channels.platforms());
        String source = oneOf("source", body.source(), SOURCES);
        UUID agency = null;
        if (body.agencyId() != null) {
            try {
                agency = UUID.fromString(body.agencyId());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("agency_id must be a UUID");
            }
        }
        int limit = body.limit() == null ? 100 : body.limit();
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000");
        }
        MapSqlParameterSource p = filter(caller, "open", platform, agency, source).addValue("limit", limit);
        List<Long> ids = sql.queryForList("select id from deadletters " + WHERE + " order by id limit :limit", p, Long.class);
        List<Long> requeued = new ArrayList<>();
        List<Map<String, Object>> refused = new ArrayList<>();
        for (long id : ids) {
            try {
                deadLetters.requeue(id);
                requeued.add(id);
            } catch (ApiException e) {
                refused.add(Map.of("id", id, "message", e.getMessage()));
            }
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("requeued", requeued);
        reply.put("refused", refused);
        responses.reply(exchange, 202, reply);
    }

    private static final String WHERE = """
            where (cast(:status as text) is null or status = :status)
              and (cast(:platform as text) is null or platform = :platform)
              and (cast(:agency as uuid) is null or agency_id = :agency)
              and (cast(:source as text) is null or source = :source)
              and (:operator or agency_id = :caller)""";

    private static MapSqlParameterSource filter(Caller caller, String status, String platform, UUID agency, String source) {
        return new MapSqlParameterSource("status", status).addValue("platform", platform).addValue("agency", agency)
                .addValue("source", source).addValue("operator", caller.operator())
                .addValue("caller", caller.agencyId() == null ? UUID.fromString("00000000-0000-0000-0000-000000000000") : caller.agencyId());
    }

    /** The entry if the caller may see it, else 404. */
    private Map<String, Object> visible(Exchange exchange, String columns) {
        long id = ApiRequests.pathLong(exchange, "id", "dead letter");
        Caller caller = Caller.of(exchange);
        String select = "*".equals(columns) ? COLUMNS + ", payload, headers, stack_trace, attempts" : columns;
        List<Map<String, Object>> rows = sql.query("select " + select + " from deadletters where id = :id and (:operator or agency_id = :caller)",
                filter(caller, null, null, null, null).addValue("id", id), Rows.json(json));
        if (rows.isEmpty()) {
            throw ApiException.notFound("dead letter", id);
        }
        return rows.get(0);
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ApiException.badRequest(field + " must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }
}
