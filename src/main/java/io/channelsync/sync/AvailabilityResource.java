package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import io.channelsync.property.PmsProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code PUT /api/v1/properties/{id}/availability}: the PMS says what its calendar is. Body: a list of
 * days, {@code [{"date": "2026-12-01", "available": true, "min_stay": 2, "price": 120.00}, ...]} (or
 * {@code {"days": [...]}}). The days are upserted into {@code availability} (one commit), then one
 * sync job per enabled mapping of the property pushes the changed range to the channels. Answers
 * 200 with the days written and the job ids. Another agency's property is a 404.
 */
@Component("availabilityResource")
public class AvailabilityResource {

    /** One night as the API receives it. */
    public record DayInput(LocalDate date, Boolean available, Integer minStay, BigDecimal price) {
    }

    /** The body in its object form, {@code {"days": [...]}}; a bare list is read as this. */
    public record DaysInput(List<DayInput> days) {
    }

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final JdbcTemplate jdbc;
    private final PmsProperties properties;
    private final SyncJobs jobs;
    private final SyncProperties sync;

    public AvailabilityResource(ApiRequests requests, ApiResponses responses, JdbcTemplate jdbc, PmsProperties properties, SyncJobs jobs,
                                SyncProperties sync) {
        this.sync = sync;
        this.requests = requests;
        this.responses = responses;
        this.jdbc = jdbc;
        this.properties = properties;
        this.jobs = jobs;
    }

    public void update(Exchange exchange) {
        UUID propertyId = ApiRequests.pathId(exchange, "id", "property");
        Caller caller = Caller.of(exchange);
        properties.findVisible(propertyId, caller);
        List<DayInput> days = validate(readDays(exchange));
        LocalDate from = days.stream().map(DayInput::date).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = days.stream().map(DayInput::date).max(LocalDate::compareTo).orElseThrow();
        sync.checkRange("days", from, to);
        jdbc.batchUpdate("""
                insert into availability (property_id, day, available, min_stay, price)
                values (?, ?, ?, ?, ?)
                on conflict (property_id, day) do update
                   set available = excluded.available, min_stay = excluded.min_stay, price = excluded.price, updated_at = now()""",
                days, 500, (ps, d) -> {
                    ps.setObject(1, propertyId);
                    ps.setDate(2, Date.valueOf(d.date()));
                    ps.setBoolean(3, d.available());
                    ps.setObject(4, d.minStay());
                    ps.setBigDecimal(5, d.price());
                });
        List<Long> jobIds = jobs.createForProperty(propertyId, null, null, from, to, "availability updated through the API");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("property_id", propertyId);
        body.put("days_updated", days.size());
        body.put("from", from);
        body.put("to", to);
        body.put("sync_job_ids", jobIds);
        responses.reply(exchange, 200, body);
    }

    private List<DayInput> readDays(Exchange exchange) {
        JsonNode body = requests.readJson(exchange);
        if (body.isArray()) {
            body = JsonNodeFactory.instance.objectNode().set("days", body);
        }
        List<DayInput> days = body.isObject() ? requests.convert(body, DaysInput.class).days() : null;
        if (days == null) {
            throw ApiException.badRequest("the body must be a list of days, or {\"days\": [...]}");
        }
        if (days.contains(null)) {
            throw ApiException.invalidField("days[" + days.indexOf(null) + "]", "required", "a day must be an object");
        }
        return days;
    }

    private List<DayInput> validate(List<DayInput> days) {
        if (days.isEmpty()) {
            throw ApiException.invalidField("days", "not_empty", "at least one day is required");
        }
        if (days.size() > sync.maxRangeDays()) {
            throw ApiException.invalidField("days", "max_size", "at most " + sync.maxRangeDays() + " days per request");
        }
        Set<LocalDate> seen = new HashSet<>();
        for (int i = 0; i < days.size(); i++) {
            DayInput d = days.get(i);
            String at = "days[" + i + "].";
            if (d.date() == null) {
                throw ApiException.invalidField(at + "date", "required", "date is required");
            }
            if (!seen.add(d.date())) {
                throw ApiException.invalidField(at + "date", "unique", "date " + d.date() + " appears twice");
            }
            if (d.available() == null) {
                throw ApiException.invalidField(at + "available", "required", "available is required");
            }
            if (d.minStay() != null && d.minStay() < 1) {
                throw ApiException.invalidField(at + "min_stay", "min", "min_stay must be 1 or more");
            }
            if (d.price() != null && d.price().signum() < 0) {
                throw ApiException.invalidField(at + "price", "min", "price must be 0 or more");
            }
        }
        return days;
    }
}
