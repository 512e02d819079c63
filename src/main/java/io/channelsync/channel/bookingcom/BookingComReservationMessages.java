package io.channelsync.channel.bookingcom;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * All SQL on {@code booking_com_reservation_messages}: which Booking.com reservation messages we polled and
 * whether they were acknowledged successfully. Each statement commits on its own (never part of a channel call).
 */
@Component
public class BookingComReservationMessages {

    /** A message Booking.com still holds for us (never acknowledged successfully). */
    public record Unacknowledged(String eventId, String endpoint, String reservationId, String hotelId, Instant firstSeenAt,
                                 String lastAckError) {
    }

    private final NamedParameterJdbcTemplate sql;

    public BookingComReservationMessages(NamedParameterJdbcTemplate sql) {
        this.sql = sql;
    }

    /** Records that a GET returned these messages (first time, or once more): one statement for the whole GET. */
    public void seen(List<OtaReservations.Reservation> polled) {
        if (polled.isEmpty()) {
            return;
        }
        // distinct: one GET naming a message twice must not make the upsert touch its row twice
        sql.update("""
                insert into booking_com_reservation_messages (event_id, endpoint, reservation_id, hotel_id)
                select distinct on (m.event_id) m.event_id, m.endpoint, m.reservation_id, m.hotel_id
                from unnest(cast(:eventIds as text[]), cast(:endpoints as text[]), cast(:reservationIds as text[]),
                            cast(:hotelIds as text[])) as m (event_id, endpoint, reservation_id, hotel_id)
                on conflict (event_id) do update set last_seen_at = now()""", new MapSqlParameterSource()
                .addValue("eventIds", column(polled, OtaReservations.Reservation::eventId))
                .addValue("endpoints", column(polled, r -> r.kind().endpoint))
                .addValue("reservationIds", column(polled, OtaReservations.Reservation::reservationId))
                .addValue("hotelIds", column(polled, OtaReservations.Reservation::hotelId)));
    }

    /** Booking.com took our success acknowledgement of these messages: they leave its queue. */
    public void acknowledged(List<String> eventIds) {
        sql.update("""
                update booking_com_reservation_messages set acknowledged_at = coalesce(acknowledged_at, now()), last_ack_error = null
                where event_id = any(cast(:eventIds as text[]))""", Map.of("eventIds", eventIds.toArray(String[]::new)));
    }

    private static String[] column(List<OtaReservations.Reservation> polled, Function<OtaReservations.Reservation, String> value) {
        return polled.stream().map(value).toArray(String[]::new);
    }

    /** The message stays queued at Booking.com: acknowledged as failed, or the acknowledgement did not go through. */
    public void notAcknowledged(String eventId, String why) {
        sql.update("update booking_com_reservation_messages set last_ack_error = :why where event_id = :eventId",
                new MapSqlParameterSource("eventId", eventId).addValue("why", why));
    }

    /** Messages unacknowledged for longer than {@code after} and not alerted yet, marked alerted in the same statement. */
    public List<Unacknowledged> claimOverdue(Duration after) {
        return sql.query("""
                update booking_com_reservation_messages set alerted_at = now()
                where acknowledged_at is null and alerted_at is null
                  and first_seen_at < now() - make_interval(secs => :seconds)
                returning event_id, endpoint, reservation_id, hotel_id, first_seen_at, last_ack_error""",
                Map.of("seconds", after.toMillis() / 1000.0), (rs, n) -> row(rs));
    }

    /** Every message Booking.com still holds for us for a hotel (reconciliation flags them). */
    public List<Unacknowledged> unacknowledged(String hotelId) {
        return sql.query("""
                select event_id, endpoint, reservation_id, hotel_id, first_seen_at, last_ack_error
                from booking_com_reservation_messages
                where acknowledged_at is null and hotel_id = :hotelId order by first_seen_at""",
                Map.of("hotelId", hotelId), (rs, n) -> row(rs));
    }

    private static Unacknowledged row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Unacknowledged(rs.getString("event_id"), rs.getString("endpoint"), rs.getString("reservation_id"),
                rs.getString("hotel_id"), rs.getTimestamp("first_seen_at").toInstant(), rs.getString("last_ack_error"));
    }
}
