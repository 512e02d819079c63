package io.channelsync.sync;

import io.channelsync.channel.AvailabilityPush;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.MappedListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a sync job pushes to one mapping: the property's calendar (units left, price, stay rules), only the
 * nights that changed since the last push to that mapping (the delta store {@code pushed_days}; a full sync
 * sends every night), at most the connector's {@code monthsPerPush} calendar months a call (monthly batching). Each
 * call's nights are recorded as pushed once the channel accepted them, so a job that fails half-way sends only the
 * rest when it is retried.
 * <p>
 * Units: the one place where bookings take units. A night's units are its {@code availability} row's
 * ({@code units}, or 1/0 from {@code available} for older rows); every pending or confirmed booking on that
 * night takes its {@code units}; a cancelled one takes none, so a cancellation gives them back at the next push.
 */
@Component
public class CalendarPush {

    private static final Logger log = LoggerFactory.getLogger(CalendarPush.class);
    private final NamedParameterJdbcTemplate sql;

    public CalendarPush(NamedParameterJdbcTemplate sql) {
        this.sql = sql;
    }

    /** One call to the channel with a batch of months' nights: the connector's {@link AvailabilityPush}, through its breaker. */
    @FunctionalInterface
    public interface BatchPush {
        int push(MappedListing target, List<CalendarDay> nights) throws Exception;
    }

    /**
     * @param monthsPerCall calendar months a call carries at most ({@code ChannelConnector.monthsPerPush})
     * @param full          send every night of the window, changed or not
     * @return the status of the channel's last answer; 204 when there was nothing to send
     */
    public int push(UUID mappingId, Object propertyId, MappedListing target, int monthsPerCall, BatchPush channel,
                    LocalDate from, LocalDate to, boolean full) throws Exception {
        List<CalendarDay> days = calendar(propertyId, from, to);
        Map<LocalDate, String> pushed = full ? Map.of() : pushed(mappingId, from, to);
        String key = target.listingId() + "/" + target.roomId() + "/" + target.ratePlanId();
        List<CalendarDay> changed = days.stream().filter(day -> !state(key, day).equals(pushed.get(day.date()))).toList();
        if (changed.isEmpty()) {
            log.debug("Mapping {}: no night changed between {} and {}; nothing to push", mappingId, from, to);
            return 204;
        }
        int status = 204;
        for (List<CalendarDay> batch : byMonths(changed, monthsPerCall)) {
            status = channel.push(target, batch);
            record(mappingId, key, batch);
        }
        return status;
    }

    /**
     * Nights (in date order) grouped by calendar month, {@code months} consecutive months a group counted from the
     * first night's month: a year from the first of a month is 12 groups of one month, or 6 of two.
     */
    static List<List<CalendarDay>> byMonths(List<CalendarDay> days, int months) {
        if (days.isEmpty()) {
            return List.of();
        }
        YearMonth first = YearMonth.from(days.get(0).date());
        return List.copyOf(days.stream().collect(Collectors.groupingBy(
                day -> first.until(YearMonth.from(day.date()), ChronoUnit.MONTHS) / Math.max(1, months), TreeMap::new,
                Collectors.toList())).values());
    }

    /** What was pushed for a night, as one text: the mapping's target and the night's values. */
    static String state(String target, CalendarDay day) {
        return target + "|" + day.units() + "|" + (day.price() == null ? "" : day.price().stripTrailingZeros().toPlainString())
                + "|" + day.currency() + "|" + day.minStayArrival() + "|" + day.minStayThrough() + "|" + day.maxStay()
                + "|" + day.closedToArrival() + "|" + day.closedToDeparture() + "|" + day.stopSell();
    }

    private Map<LocalDate, String> pushed(UUID mappingId, LocalDate from, LocalDate to) {
        Map<LocalDate, String> states = new HashMap<>();
        sql.query("select day, state from pushed_days where mapping_id = :mapping and day between :from and :to",
                new MapSqlParameterSource("mapping", mappingId).addValue("from", Date.valueOf(from)).addValue("to", Date.valueOf(to)),
                rs -> {
                    states.put(rs.getDate("day").toLocalDate(), rs.getString("state"));
                });
        return states;
    }

    /** The call's nights as pushed: one statement for the batch (one row array per column), not one per night. */
    private void record(UUID mappingId, String target, List<CalendarDay> days) {
        sql.update("""
                insert into pushed_days (mapping_id, day, state)
                select :mapping, d.day, d.state from unnest(:days, :states) as d(day, state)
                on conflict (mapping_id, day) do update set state = excluded.state, pushed_at = now()""",
                new MapSqlParameterSource("mapping", mappingId)
                        .addValue("days", new SqlArrayValue("date", days.stream().map(day -> Date.valueOf(day.date())).toArray()))
                        .addValue("states", new SqlArrayValue("text", days.stream().map(day -> state(target, day)).toArray())));
    }

    /**
     * The PMS calendar between two days: every night with an availability row, and every night a pending or
     * confirmed booking holds, with the units left after the bookings.
     */
    List<CalendarDay> calendar(Object propertyId, LocalDate from, LocalDate to) {
        return sql.query("""
                select d.day::date as day,
                       greatest(coalesce(a.units, case when a.available then 1 else 0 end, 0) - booked.units, 0) as units_left,
                       a.price, p.currency, a.min_stay, a.min_stay_through, a.max_stay,
                       coalesce(a.closed_to_arrival, false) as cta, coalesce(a.closed_to_departure, false) as ctd,
                       coalesce(a.stop_sell, false) as stop_sell
                from generate_series(cast(:from as date), cast(:to as date), interval '1 day') as d(day)
                join properties p on p.id = :property
                left join availability a on a.property_id = :property and a.day = d.day::date
                cross join lateral (select coalesce(sum(b.units), 0) as units from bookings b
                        where b.property_id = :property and b.status in ('pending', 'confirmed')
                          and b.check_in <= d.day::date and b.check_out > d.day::date) booked
                where a.day is not null or booked.units > 0
                order by d.day""",
                new MapSqlParameterSource("property", propertyId).addValue("from", Date.valueOf(from)).addValue("to", Date.valueOf(to)),
                (rs, i) -> new CalendarDay(rs.getDate("day").toLocalDate(), rs.getInt("units_left"), (BigDecimal) rs.getObject("price"),
                        rs.getString("currency"), (Integer) rs.getObject("min_stay"), (Integer) rs.getObject("min_stay_through"),
                        (Integer) rs.getObject("max_stay"), rs.getBoolean("cta"), rs.getBoolean("ctd"), rs.getBoolean("stop_sell")));
    }
}
