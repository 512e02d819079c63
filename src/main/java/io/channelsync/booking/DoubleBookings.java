package io.channelsync.booking;

import io.channelsync.alert.Alerts;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
 * adds nothing). After the commit the pairs are handed to {@code seda:double-bookings} (route
 * {@code double-booking-alerts}), which raises one critical {@code double_booking} alert per pair
 * ({@link Alerts#raise}) naming both bookings and their channels; a periodic sweep of the same route raises what
 * a crash or a full queue left behind.
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

    public static final String QUEUE = "seda:double-bookings";
    public static final String KIND = "double_booking";
    /** Advisory-lock namespace of a property's bookings (reconciliation holds 6006). */
    private static final int LOCK_NAMESPACE = 6014;
    private static final Logger log = LoggerFactory.getLogger(DoubleBookings.class);

    private final NamedParameterJdbcTemplate sql;
    private final Alerts alerts;
    private final ProducerTemplate camel;

    public DoubleBookings(NamedParameterJdbcTemplate sql, Alerts alerts, ProducerTemplate camel) {
        this.sql = sql;
        this.alerts = alerts;
        this.camel = camel;
    }

    /** Inside the transaction that changed booking {@code bookingId}: records its new conflicts; alerted after the commit. */
    public void check(UUID bookingId) {
        MapSqlParameterSource id = new MapSqlParameterSource("id", bookingId).addValue("ns", LOCK_NAMESPACE);
        sql.query("select pg_advisory_xact_lock(:ns, hashtext(cast(property_id as text))) from bookings where id = :id", id, rs -> {
        });
        List<Long> found = sql.queryForList("""
                insert into double_bookings (agency_id, property_id, booking_id, other_booking_id)
                select b.agency_id, b.property_id, least(b.id, o.id), greatest(b.id, o.id)
                  from bookings b
                  join bookings o on o.property_id = b.property_id and o.id <> b.id
                                 and o.status in ('pending', 'confirmed')
                                 and o.check_in < b.check_out and b.check_in < o.check_out
                 where b.id = :id and b.status in ('pending', 'confirmed')
                on conflict (booking_id, other_booking_id) do nothing
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

    /** Hands the alerting to its route (another thread: this one may still hold the committed transaction's connection). */
    private void wake() {
        try {
            camel.sendBody(QUEUE, null);
        } catch (RuntimeException e) {
            log.warn("Double-booking alert not handed over ({}): the periodic sweep raises it", e.getMessage());
        }
    }

    /**
     * Raises the alert of every recorded pair not alerted yet (route {@code double-booking-alerts}). Each pair is
     * claimed first ({@code alerted_at}, {@code FOR UPDATE SKIP LOCKED}), so two instances or threads never alert
     * one pair twice; the alert itself is raised with no transaction open (it may POST to the alert webhook).
     *
     * @return how many alerts were raised
     */
    public int alertPending() {
        List<Map<String, Object>> claimed = sql.queryForList("""
                update double_bookings set alerted_at = now()
                 where id in (select id from double_bookings where alerted_at is null order by id limit 100 for update skip locked)
                returning id, agency_id, property_id, booking_id, other_booking_id""", Map.of());
        for (Map<String, Object> pair : claimed) {
            alert(pair);
        }
        return claimed.size();
    }

    private void alert(Map<String, Object> pair) {
        long pairId = ((Number) pair.get("id")).longValue();
        List<Map<String, Object>> both = sql.query("""
                select id, platform, reservation_code, check_in, check_out, status, source_webhook_log_id
                  from bookings where id in (:a, :b) order by created_at, id""",
                new MapSqlParameterSource("a", pair.get("booking_id")).addValue("b", pair.get("other_booking_id")), (rs, n) -> {
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
        List<String> named = new ArrayList<>();
        for (Map<String, Object> b : both) {
            named.add(b.get("platform") + " " + b.get("reservation_code") + " (" + b.get("check_in") + " to " + b.get("check_out") + ")");
        }
        String from = both.stream().map(b -> (String) b.get("check_in")).max(String::compareTo).orElse(null);
        String to = both.stream().map(b -> (String) b.get("check_out")).min(String::compareTo).orElse(null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("double_booking_id", pairId);
        details.put("property_id", pair.get("property_id"));
        details.put("overlap", Map.of("from", from, "to", to));
        details.put("bookings", both);
        long alertId = alerts.raise((UUID) pair.get("agency_id"), null, Alerts.Severity.critical, KIND,
                "Double booking on property " + pair.get("property_id") + ": " + String.join(" and ", named)
                        + " hold the nights from " + from + " to " + to, details);
        sql.update("update double_bookings set alert_id = :alert where id = :id",
                new MapSqlParameterSource("alert", alertId).addValue("id", pairId));
    }
}
