package io.channelsync.sync;

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
import io.channelsync.property.PmsProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sync API: {@code POST /api/v1/sync/availability} (trigger), {@code GET /api/v1/sync/jobs}
 * (filters status, platform, agency_id, property_id, mapping_id; paginated) and
 * {@code GET /api/v1/sync/jobs/{id}} (with its attempts). Agencies see only their own jobs; another
 * agency's job is a 404.
 */
@Component("syncJobResource")
public class SyncJobResource {

    static final Set<String> STATUSES = Set.of("pending", "running", "retrying", "held", "succeeded", "failed", "deadlettered");

    /** Body of POST /api/v1/sync/availability; {@code full}: every night of the window, not only the changed ones. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TriggerRequest(UUID propertyId, List<String> platforms, LocalDate from, LocalDate to, Boolean full) {
    }

    private static final String JOB_COLUMNS = """
            s.id, s.agency_id, s.mapping_id, m.property_id, m.platform, m.listing_id, m.room_id, s.operation,
            s.status, s.payload, s.retry_count, s.max_retries, s.triggered_at, s.started_at, s.finished_at,
            s.deadletter_at, s.last_error, s.updated_at""";

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final PmsProperties properties;
    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;
    private final SyncJobs jobs;
    private final Channels channels;
    private final SyncProperties sync;

    public SyncJobResource(ApiRequests requests, ApiResponses responses, PmsProperties properties, NamedParameterJdbcTemplate sql,
                           ObjectMapper json, SyncJobs jobs, Channels channels, SyncProperties sync) {
        this.sync = sync;
        this.requests = requests;
        this.responses = responses;
        this.properties = properties;
        this.sql = sql;
        this.json = json;
        this.jobs = jobs;
        this.channels = channels;
    }

    public void trigger(Exchange exchange) {
        TriggerRequest request = requests.read(exchange, TriggerRequest.class);
        if (request.propertyId() == null) {
            throw ApiException.badRequest("property_id is required");
        }
        if (request.platforms() != null && !channels.platforms().containsAll(request.platforms())) {
            throw ApiException.badRequest("platforms may only hold " + List.copyOf(channels.platforms()));
        }
        if (request.from() != null && request.to() != null && request.to().isBefore(request.from())) {
            throw ApiException.badRequest("to must not be before from");
        }
        LocalDate from = request.from() != null ? request.from() : LocalDate.now();
        sync.checkRange("to", from, request.to() != null ? request.to() : from.plusDays(SyncJobs.DEFAULT_DAYS_AHEAD));
        properties.findVisible(request.propertyId(), Caller.of(exchange));
        boolean full = Boolean.TRUE.equals(request.full());
        List<Long> ids = jobs.createForProperty(request.propertyId(), request.platforms(), null, request.from(), request.to(), full,
                full ? "full sync requested through the API" : "requested through the API");
        if (ids.isEmpty()) {
            throw ApiException.conflict("property " + request.propertyId() + " has no enabled channel mapping"
                    + (request.platforms() == null || request.platforms().isEmpty() ? "" : " for " + request.platforms()), null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("property_id", request.propertyId());
        body.put("job_ids", ids);
        body.put("full", full);
        body.put("status", "pending");
        responses.reply(exchange, 202, body);
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        UUID agencyFilter = ApiRequests.queryUuid(exchange, "agency_id");
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("status", ApiRequests.queryOneOf(exchange, "status", STATUSES))
                .addValue("platform", ApiRequests.queryOneOf(exchange, "platform", channels.platforms()))
                .addValue("agency", caller.operator() ? agencyFilter : caller.agencyId())
                .addValue("property", ApiRequests.queryUuid(exchange, "property_id"))
                .addValue("mapping", ApiRequests.queryUuid(exchange, "mapping_id"))
                .addValue("limit", page.limit() + 1).addValue("offset", page.offset());
        List<Map<String, Object>> items = sql.query("select " + JOB_COLUMNS + " " + """
                from sync_logs s join channel_mappings m on m.id = s.mapping_id
                where (cast(:status as text) is null or s.status = :status)
                  and (cast(:platform as text) is null or m.platform = :platform)
                  and (cast(:agency as uuid) is null or s.agency_id = :agency)
                  and (cast(:property as uuid) is null or m.property_id = :property)
                  and (cast(:mapping as uuid) is null or s.mapping_id = :mapping)
                order by s.id desc limit :limit offset :offset""", p, Rows.json(json));
        responses.reply(exchange, 200, page.of(items));
    }

    public void get(Exchange exchange) {
        long id = ApiRequests.pathLong(exchange, "id", "sync job");
        Caller caller = Caller.of(exchange);
        List<Map<String, Object>> rows = sql.query("select " + JOB_COLUMNS
                        + " from sync_logs s join channel_mappings m on m.id = s.mapping_id"
                        + " where s.id = :id and (cast(:agency as uuid) is null or s.agency_id = :agency)",
                new MapSqlParameterSource("id", id).addValue("agency", caller.operator() ? null : caller.agencyId()),
                Rows.json(json));
        if (rows.isEmpty()) {
            throw ApiException.notFound("sync job", id);
        }
        Map<String, Object> job = new LinkedHashMap<>(rows.get(0));
        job.put("attempts", sql.query("""
                select attempt_number, started_at, finished_at, outcome, http_status, error
                from sync_attempts where sync_log_id = :id order by attempt_number""",
                new MapSqlParameterSource("id", id), Rows.json(json)));
        responses.reply(exchange, 200, job);
    }
}
