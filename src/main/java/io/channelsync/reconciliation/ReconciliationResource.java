package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/reconciliation/runs}: trigger a run, list runs, one run with its discrepancies.
 * An agency key sees and triggers only its own agency; another agency's run is a 404.
 */
@Component("reconciliationResource")
public class ReconciliationResource {

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final ReconciliationJob job;
    private final ReconciliationRuns runs;
    private final JdbcTemplate jdbc;

    public ReconciliationResource(ApiRequests requests, ApiResponses responses, ReconciliationJob job, ReconciliationRuns runs,
                                  JdbcTemplate jdbc) {
        this.requests = requests;
        this.responses = responses;
        this.job = job;
        this.runs = runs;
        this.jdbc = jdbc;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunRequest(String agencyId) {
    }

    /**
     * {@code POST /api/v1/reconciliation/runs}, body optional {@code {"agency_id": "..."}}. Runs
     * synchronously and answers 201 {@code {"runs": [run], "skipped": [...]}}. Agency key: its own
     * agency. Operator: the agency named, or every agency with an enabled mapping when none is named
     * (agencies with a run already going on are listed in {@code skipped}). 409 when the one agency
     * asked for is being reconciled already.
     */
    public void trigger(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        RunRequest request = requests.readOptional(exchange, RunRequest.class, new RunRequest(null));
        UUID agency = parseAgency(request.agencyId());
        List<UUID> agencies;
        if (agency != null) {
            if (!caller.canSee(agency) || !agencyExists(agency)) {
                throw ApiException.notFound("agency", agency);
            }
            agencies = List.of(agency);
        } else if (caller.operator()) {
            agencies = job.agenciesToReconcile();
        } else {
            agencies = List.of(caller.agencyId());
        }
        List<ReconciliationRuns.Run> done = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (UUID a : agencies) {
            var id = job.runNow(a, "api");
            if (id.isPresent()) {
                done.add(runs.find(id.get(), null).orElseThrow());
            } else if (agencies.size() == 1) {
                throw ApiException.conflict("a reconciliation run of agency " + a + " is already going on", Map.of("agency_id", a.toString()));
            } else {
                skipped.add(Map.of("agency_id", a, "reason", "a run of this agency is already going on"));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", done);
        body.put("skipped", skipped);
        responses.reply(exchange, 201, body);
    }

    /** {@code GET /api/v1/reconciliation/runs?agency_id=&limit=&offset=}: newest first, only runs the caller may see. */
    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID filter = ApiRequests.queryUuid(exchange, "agency_id");
        ApiRequests.Page page = requests.page(exchange);
        List<ReconciliationRuns.Run> list;
        if (caller.operator()) {
            list = runs.list(filter, page.limit() + 1, page.offset());
        } else if (filter == null || filter.equals(caller.agencyId())) {
            list = runs.list(caller.agencyId(), page.limit() + 1, page.offset());
        } else {
            list = List.of();
        }
        responses.reply(exchange, 200, page.of(list));
    }

    /** {@code GET /api/v1/reconciliation/runs/{id}}: the run and its discrepancies; another agency's run is a 404. */
    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        long id = ApiRequests.pathLong(exchange, "id", "reconciliation run");
        ReconciliationRuns.Run run = runs.find(id, caller.operator() ? null : caller.agencyId())
                .orElseThrow(() -> ApiException.notFound("reconciliation run", id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", run.id());
        body.put("agency_id", run.agencyId());
        body.put("trigger", run.trigger());
        body.put("status", run.status());
        body.put("started_at", run.startedAt());
        body.put("finished_at", run.finishedAt());
        body.put("counts", run.counts());
        body.put("error", run.error());
        body.put("discrepancies", runs.discrepancies(run.id()));
        responses.reply(exchange, 200, body);
    }

    private boolean agencyExists(UUID agency) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from agencies where id = ?)", Boolean.class, agency));
    }

    /** The body's {@code agency_id}; a malformed one is 422. */
    private static UUID parseAgency(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("agency_id", "uuid", "agency_id must be a UUID");
        }
    }
}
