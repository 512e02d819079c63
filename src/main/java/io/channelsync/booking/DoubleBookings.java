package io.channelsync.booking;

import io.channelsync.alert.Alerts;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Overbookings caught as they arrive (issue 14.3): the one place that decides whether a booking takes nights
 * already taken on its property. {@link #check} runs in the transaction that stored a changed booking, from any
 * channel ({@code ChannelBookings.upsert}: webhooks, replays and the Booking.com poll alike), and records each
 * conflicting pair in {@code double_bookings} once (unique pair: a replay or a later version of either booking
 * adds nothing). After the commit the route {@code double-booking-alerts} is woken ({@code seda:double-bookings}),
 * which raises the critical {@code double_booking} alert of each new pair once
 * ({@link Alerts#raise}) naming both bookings and their channels (one alert per arriving booking, naming every
 * booking it overlaps, up to {@code max-pairs-per-booking}); a periodic sweep raises what a crash left behind.
 * <p>
 * Concurrent arrivals for one property are serialised by a transaction advisory lock on the property, taken
 * after the booking is written and before the overlap is read: whichever commits second sees the first.
 * <p>
 * Today a property is one unit: any two active ({@code pending}, {@code confirmed}) bookings whose nights overlap
 * conflict. Once properties have room types with units, this is the place to count: a night is over-taken when
 * the active bookings of the room type overlapping it outnumber its units.
 */
@Component("doubleBookings")
public class DoubleBookings {

    /** The wake-up of route double-booking-alerts: one slot (size=1 on both sides), a wake while one waits is dropped. */
    public static final String WAKE = "seda:double-bookings?size=1&discardWhenFull=true";
    public static final String KIND = "double_booking";
    /** The longest one alerting run works before it hands the rest to the next run. */
    static final Duration RUN_BUDGET = Duration.ofSeconds(2);
    /** Advisory-lock namespace of a property's bookings (reconciliation holds 6006). */
    private static final int LOCK_NAMESPACE = 6014;
    private static final Logger log = LoggerFactory.getLogger(DoubleBookings.class);

    private final NamedParameterJdbcTemplate sql;
    private final Alerts alerts;
    private final ProducerTemplate camel;
    private final int maxPairsPerBooking;

    public DoubleBookings(NamedParameterJdbcTemplate sql, Alerts alerts, ProducerTemplate camel,
                          @Value("${channel-sync.double-bookings.max-pairs-per-booking:20}") int maxPairsPerBooking) {
        this.sql = sql;
        this.alerts = alerts;
        this.camel = camel;
        this.maxPairsPerBooking = maxPairsPerBooking;
    }

    /**
     * Inside the transaction that changed booking {@code bookingId}: records its new conflicts, with at most
     * {@code channel-sync.double-bookings.max-pairs-per-booking} of the bookings it overlaps (the earliest); alerted after
     * the commit. The cap keeps a property overbooked many times over (a feed gone wrong) from growing pairs as the
     * square of its bookings: every arriving booking is still flagged, naming the first of the stays it collides with.
     */
    public void check(UUID bookingId) {
        MapSqlParameterSource id = new MapSqlParameterSource("id", bookingId).addValue("ns", LOCK_NAMESPACE).addValue("max", maxPairsPerBooking);
        sql.query("select pg_advisory_xact_lock(:ns, hashtext(cast(property_id as text))) from bookings where id = :id", id, rs -> {
        });
        List<Long> found = sql.queryForList("""
                insert into double_bookings (agency_id, property_id, booking_id, other_booking_id)
                select b.agency_id, b.property_id, b.id, o.id
                  from bookings b
                  join bookings o on o.property_id = b.property_id and o.id <> b.id
                                 and o.status in ('pending', 'confirmed')
                                 and o.check_in < b.check_out and b.check_in < o.check_out
                 where b.id = :id and b.status in ('pending', 'confirmed')
                 order by o.check_in, o.id
                 limit :max
                on conflict (least(booking_id, other_booking_id), greatest(booking_id, other_booking_id)) do nothing
                returning id""", id, Long.class);
        if (found.isEmpty()) {
            return;
        }
        log.debug("Booking {} overlaps another active booking of its property: double bookings {}", bookingId, found);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    /**
     * Hands the alerting to its route (another thread: this one may still hold the committed transaction's
     * connection). The queue has one slot: a wake already waiting alerts every pair recorded by then.
     */
    private void wake() {
        try {
            camel.sendBody(WAKE, null);
        } catch (RuntimeException e) {
            log.debug("Double-booking alerts not woken ({}): the periodic sweep raises them", e.getMessage());
        }
    }

    /**
     * Raises the alerts of every recorded pair not alerted yet (routes {@code double-booking-alerts} and
     * {@code double-booking-sweep}): one alert per arriving booking, naming it and every booking whose nights it
     * overlaps (as recorded: at most {@code max-pairs-per-booking}). The pairs are claimed first ({@code alerted_at}, {@code FOR UPDATE SKIP LOCKED}), so two instances or
     * threads never alert one pair twice; the alert is raised with no transaction open (it may POST to the alert
     * webhook); one that fails is unclaimed for the next sweep. One run works at most {@link #RUN_BUDGET} and then
     * wakes the next run for the rest: a backlog of pairs never holds the route (and a shutdown) for minutes.
     *
     * @return how many alerts were raised
     */
    public int alertPending() {
        int raised = 0;
        long deadline = System.nanoTime() + RUN_BUDGET.toNanos();
        List<Map<String, Object>> claimed;
        do {
            claimed = sql.queryForList("""
                    update double_bookings set alerted_at = now()
                     where id in (select id from double_bookings where alerted_at is null order by id limit 100 for update skip locked)
                    returning id, agency_id, property_id, booking_id, other_booking_id""", Map.of());
            Map<Object, List<Map<String, Object>>> byArrival = new LinkedHashMap<>();
            claimed.stream().sorted(java.util.Comparator.comparingLong(p -> ((Number) p.get("id")).longValue()))
                    .forEach(p -> byArrival.computeIfAbsent(p.get("booking_id"), k -> new ArrayList<>()).add(p));
            for (List<Map<String, Object>> pairs : byArrival.values()) {
                try {
                    alert(pairs);
                    raised++;
                } catch (RuntimeException e) {
                    // unclaimed again: the next sweep raises it
                    sql.update("update double_bookings set alerted_at = null where id in (:ids)",
                            Map.of("ids", pairs.stream().map(p -> p.get("id")).toList()));
                    log.warn("Double bookings of booking {} not alerted yet ({}); the sweep tries again", pairs.get(0).get("booking_id"),
                            e.getMessage());
                }
            }
        } while (claimed.size() == 100 && System.nanoTime() < deadline);
        if (claimed.size() == 100) {
            wake(); // more pairs wait: the next run raises them (after a restart, the sweep does)
        }
        return raised;
    }

    /** One alert for the pairs of one arriving booking. */
    private void alert(List<Map<String, Object>> pairs) {
        Map<String, Object> first = pairs.get(0);
        Map<String, Object> arrived = booking((UUID) first.get("booking_id"));
        List<Map<String, Object>> conflicts = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (Map<String, Object> pair : pairs) {
            Map<String, Object> other = booking((UUID) pair.get("other_booking_id"));
            other.put("double_booking_id", pair.get("id"));
            other.put("overlap", Map.of(
                    "from", max((String) arrived.get("check_in"), (String) other.get("check_in")),
                    "to", min((String) arrived.get("check_out"), (String) other.get("check_out"))));
            conflicts.add(other);
            named.add(describe(other));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("property_id", first.get("property_id"));
        details.put("booking", arrived);
        details.put("conflicts", conflicts);
        long alertId = alerts.raise((UUID) first.get("agency_id"), null, Alerts.Severity.critical, KIND,
                "Double booking on property " + first.get("property_id") + ": " + describe(arrived)
                        + " takes nights already held by " + String.join(", ", named), details);
        sql.update("update double_bookings set alert_id = :alert where id in (:ids)",
                new MapSqlParameterSource("alert", alertId).addValue("ids", pairs.stream().map(p -> p.get("id")).toList()));
    }

    private Map<String, Object> booking(UUID id) {
        return sql.queryForObject("""
                select id, platform, reservation_code, check_in, check_out, status, source_webhook_log_id
                  from bookings where id = :id""", Map.of("id", id), (rs, n) -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("booking_id", rs.getObject("id", UUID.class));
            b.put("platform", rs.getString("platform"));
            b.put("reservation_code", rs.getString("reservation_code"));
            b.put("check_in", rs.getObject("check_in", LocalDate.class).toString());
            b.put("check_out", rs.getObject("check_out", LocalDate.class).toString());
            b.put("status", rs.getString("status"));
            b.put("webhook_log_id", rs.getObject("source_webhook_log_id"));
            return b;
        });
    }

    private static String describe(Map<String, Object> b) {
        return b.get("platform") + " " + b.get("reservation_code") + " (" + b.get("check_in") + " to " + b.get("check_out") + ")";
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
