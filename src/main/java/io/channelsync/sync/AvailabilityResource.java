package io.channelsync.sync;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import io.channelsync.property.PmsProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code PUT /api/v1/properties/{id}/availability}: the PMS says what its calendar is. Body: a list of days
 * (or {@code {"days": [...]}}), each
 * {@code {"date", "units", "price", "min_stay_arrival", "min_stay_through", "max_stay", "closed_to_arrival",
 * "closed_to_departure", "stop_sell"}}; {@code available} is shorthand for {@code units} 1/0 and {@code min_stay}
 * for {@code min_stay_arrival}. A day given is replaced whole (a field left out is none/false); a day left out
 * keeps its values. Each field is validated (422 naming {@code field} and {@code rule}). The days are upserted
 * into {@code availability} (one commit), then one sync job per enabled mapping of the property pushes the
 * changed nights to the channels. Answers 200 with the days written and the job ids. Another agency's
 * property is a 404.
 */
@Component("availabilityResource")
public class AvailabilityResource {

    /** One night as the API receives it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DayInput(LocalDate date, Integer units, Boolean available, BigDecimal price, Integer minStayArrival,
                           Integer minStay, Integer minStayThrough, Integer maxStay, Boolean closedToArrival,
                           Boolean closedToDeparture, Boolean stopSell) {

        int unitsOrShorthand() {
            return units != null ? units : Boolean.TRUE.equals(available) ? 1 : 0;
        }

        Integer arrivalMinimum() {
            return minStayArrival != null ? minStayArrival : minStay;
        }
    }

    /** The body in its object form, {@code {"days": [...]}}; a bare list is read as this. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DaysInput(List<DayInput> days) {
    }

    /** Stay lengths above this are refused: a year and a half is longer than any window we push. */
    static final int MAX_STAY_NIGHTS = 731;
    /** The largest price {@code availability.price} (numeric(12,2)) holds. */
    static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");
    private static final List<String> INTEGER_FIELDS = List.of("units", "min_stay", "min_stay_arrival", "min_stay_through", "max_stay");

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final JdbcTemplate jdbc;
    private final PmsProperties properties;
    private final SyncJobs jobs;
    private final SyncProperties sync;
    private final Channels channels;
    private final NamedParameterJdbcTemplate sql;

    public AvailabilityResource(ApiRequests requests, ApiResponses responses, JdbcTemplate jdbc, PmsProperties properties, SyncJobs jobs,
                                SyncProperties sync, Channels channels, NamedParameterJdbcTemplate sql) {
        this.sync = sync;
        this.channels = channels;
        this.sql = sql;
        this.requests = requests;
        this.responses = responses;
        this.jdbc = jdbc;
        this.properties = properties;
        this.jobs = jobs;
    }

    public void update(Exchange exchange) {
        UUID propertyId = ApiRequests.pathId(exchange, "id", "property");
        Caller caller = Caller.of(exchange);
        PmsProperties.Property property = properties.findVisible(propertyId, caller);
        List<DayInput> days = validate(readDays(exchange), property);
        LocalDate from = days.stream().map(DayInput::date).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = days.stream().map(DayInput::date).max(LocalDate::compareTo).orElseThrow();
        sync.checkRange("days", from, to);
        jdbc.batchUpdate("""
                insert into availability (property_id, day, units, available, price, min_stay, min_stay_through, max_stay,
                                          closed_to_arrival, closed_to_departure, stop_sell)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (property_id, day) do update
                   set units = excluded.units, available = excluded.available, price = excluded.price, min_stay = excluded.min_stay,
                       min_stay_through = excluded.min_stay_through, max_stay = excluded.max_stay,
                       closed_to_arrival = excluded.closed_to_arrival, closed_to_departure = excluded.closed_to_departure,
                       stop_sell = excluded.stop_sell, updated_at = now()""",
                days, 500, (ps, d) -> {
                    ps.setObject(1, propertyId);
                    ps.setDate(2, Date.valueOf(d.date()));
                    ps.setInt(3, d.unitsOrShorthand());
                    ps.setBoolean(4, d.unitsOrShorthand() > 0);
                    ps.setBigDecimal(5, d.price());
                    ps.setObject(6, d.arrivalMinimum());
                    ps.setObject(7, d.minStayThrough());
                    ps.setObject(8, d.maxStay());
                    ps.setBoolean(9, Boolean.TRUE.equals(d.closedToArrival()));
                    ps.setBoolean(10, Boolean.TRUE.equals(d.closedToDeparture()));
                    ps.setBoolean(11, Boolean.TRUE.equals(d.stopSell()));
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
        // Jackson would truncate 1.5 to 1: a count of nights or units must be a whole number
        JsonNode list = body.path("days");
        for (int i = 0; i < list.size(); i++) {
            for (String field : INTEGER_FIELDS) {
                JsonNode value = list.get(i).path(field);
                if (!value.isMissingNode() && !value.isNull() && !value.isIntegralNumber()) {
                    throw ApiException.invalidField("days[" + i + "]." + field, "type", field + " must be a whole number");
                }
            }
        }
        return days;
    }

    private List<DayInput> validate(List<DayInput> days, PmsProperties.Property property) {
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
            if (d.units() == null && d.available() == null) {
                throw ApiException.invalidField(at + "units", "required", "units (or its shorthand available) is required");
            }
            if (d.units() != null && d.available() != null && d.available() != d.units() > 0) {
                throw ApiException.invalidField(at + "available", "conflicts_with_units",
                        "available is shorthand for units 1/0; available " + d.available() + " contradicts units " + d.units());
            }
            if (d.units() != null && d.units() < 0) {
                throw ApiException.invalidField(at + "units", "min", "units must be 0 or more");
            }
            if (d.minStay() != null && d.minStayArrival() != null) {
                throw ApiException.invalidField(at + "min_stay", "conflicts_with_min_stay_arrival",
                        "min_stay is shorthand for min_stay_arrival; give one of them");
            }
            stayLength(at + (d.minStayArrival() != null ? "min_stay_arrival" : "min_stay"), d.arrivalMinimum());
            stayLength(at + "min_stay_through", d.minStayThrough());
            stayLength(at + "max_stay", d.maxStay());
            for (Integer minimum : new Integer[] {d.arrivalMinimum(), d.minStayThrough()}) {
                if (d.maxStay() != null && minimum != null && d.maxStay() < minimum) {
                    throw ApiException.invalidField(at + "max_stay", "below_min_stay",
                            "max_stay " + d.maxStay() + " is below the minimum stay " + minimum);
                }
            }
            if (d.price() != null) {
                price(at + "price", d.price(), property);
            }
        }
        if (days.stream().anyMatch(d -> d.price() != null)) {
            mappingsThatCannotTakePrices(property.id()).stream().findFirst().ifPresent(mapping -> {
                throw ApiException.invalidField("price", "rate_plan_required", "the property's " + mapping.get("platform")
                        + " mapping " + mapping.get("id") + " has no rate_plan_id, which its prices need; set it with "
                        + "PATCH /api/v1/channel-mappings/" + mapping.get("id") + " {\"rate_plan_id\": \"...\"} first");
            });
        }
        return days;
    }

    private static void stayLength(String field, Integer nights) {
        if (nights != null && nights < 1) {
            throw ApiException.invalidField(field, "min", field + " must be 1 or more");
        }
        if (nights != null && nights > MAX_STAY_NIGHTS) {
            throw ApiException.invalidField(field, "max", field + " must be at most " + MAX_STAY_NIGHTS);
        }
    }

    /** A price is 0 or more, in the property's currency (which it must have), with at most its minor-unit digits. */
    private static void price(String field, BigDecimal price, PmsProperties.Property property) {
        if (property.currency() == null) {
            throw ApiException.invalidField(field, "currency_required", "the property has no currency; set it first "
                    + "(PATCH /api/v1/properties/" + property.id() + " {\"currency\": \"EUR\"})");
        }
        if (price.signum() < 0) {
            throw ApiException.invalidField(field, "min", "price must be 0 or more");
        }
        if (price.compareTo(MAX_PRICE) > 0) {
            throw ApiException.invalidField(field, "max", "price must be at most " + MAX_PRICE);
        }
        int digits = Math.min(2, Math.max(0, Currency.getInstance(property.currency()).getDefaultFractionDigits()));
        if (price.stripTrailingZeros().scale() > digits) {
            throw ApiException.invalidField(field, "decimal_places", "a " + property.currency() + " price has at most "
                    + digits + " decimal places");
        }
    }

    /** Enabled mappings of the property on channels whose prices need a rate plan, without one. */
    private List<Map<String, Object>> mappingsThatCannotTakePrices(UUID propertyId) {
        List<String> platforms = channels.all().stream().filter(ChannelConnector::pricesNeedRatePlan).map(ChannelConnector::platform).toList();
        if (platforms.isEmpty()) {
            return List.of();
        }
        return sql.queryForList("""
                select id, platform from channel_mappings
                where property_id = :property and deleted_at is null and sync_enabled and rate_plan_id is null
                  and platform in (:platforms) order by created_at""",
                new MapSqlParameterSource("property", propertyId).addValue("platforms", platforms));
    }
}
