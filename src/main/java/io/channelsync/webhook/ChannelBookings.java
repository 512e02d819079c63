package io.channelsync.webhook;

import io.channelsync.booking.DoubleBookings;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.subscription.EventTypes;
import io.channelsync.subscription.Events;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Channel bookings in the PMS {@code bookings} table, keyed by (platform, reservation_code). A
 * version is applied unless the stored one is newer: an event that arrives late never overwrites a
 * newer one. Versions are ordered by the channel's own version of the reservation
 * ({@link ChannelReservation#eventTime()}, kept as {@code source_updated_at}: Booking.com's modification
 * or reservation date, Airbnb's {@code updated_at}), never by when they were delivered. Arrival (the
 * webhook_log id) only breaks ties between equal versions, except that a cancellation is final: on an
 * equal version nothing but another cancellation replaces it; only a strictly newer version reopens it.
 * The outcome therefore does not depend on the order the versions are applied in.
 */
@Component
public class ChannelBookings {

    /** A mapped listing: where its bookings go. */
    public record Mapping(UUID id, UUID agencyId, UUID propertyId) {
    }

    /** The nights a stored booking held before this change (to reopen them if the dates moved). */
    public record Stay(LocalDate checkIn, LocalDate checkOut) {
    }

    private final NamedParameterJdbcTemplate sql;
    private final Events events;
    private final DoubleBookings doubleBookings;

    public ChannelBookings(NamedParameterJdbcTemplate sql, Events events, DoubleBookings doubleBookings) {
        this.sql = sql;
        this.events = events;
        this.doubleBookings = doubleBookings;
    }

    /** The live mapping of a listing (and, for Booking.com, room). */
    public Optional<Mapping> mapping(String platform, String listingId, String roomId) {
        return sql.query("""
                select id, agency_id, property_id from channel_mappings
                where platform = :platform and listing_id = :listing and coalesce(room_id, '') = :room and deleted_at is null""",
                new MapSqlParameterSource("platform", platform).addValue("listing", listingId)
                        .addValue("room", roomId == null ? "" : roomId),
                (rs, n) -> new Mapping(rs.getObject("id", UUID.class), rs.getObject("agency_id", UUID.class),
                        rs.getObject("property_id", UUID.class))).stream().findFirst();
    }

    /** The stay currently stored for a reservation, locked until the caller's transaction ends. */
    public Optional<Stay> lockStored(String platform, String reservationCode) {
        return sql.query("""
                select check_in, check_out from bookings where platform = :platform and reservation_code = :code
                for update""", Map.of("platform", platform, "code", reservationCode),
                (rs, n) -> new Stay(rs.getObject("check_in", LocalDate.class), rs.getObject("check_out", LocalDate.class)))
                .stream().findFirst();
    }

    /**
     * Inserts the booking, or updates it unless the stored version is newer (or this very one), or is a
     * cancellation of the same version. A change is also an event for the PMS ({@code booking.created},
     * {@code booking.modified} or {@code booking.cancelled}), written in the caller's transaction, and is checked
     * for nights already taken on its property ({@link DoubleBookings#check}, in the same transaction): every
     * channel's bookings pass here.
     *
     * @param webhookLogId the delivery this version came in: breaks ties between equal event times
     * @return true if the row changed; false if a newer (or the same) version is already stored
     */
    public boolean upsert(Mapping mapping, ChannelReservation r, long webhookLogId) {
        List<Map<String, Object>> changed = sql.queryForList("""
                with stored as (select status from bookings where platform = :platform and reservation_code = :code)
                insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status,
                                      guest_name, guests, total_amount, currency, source_updated_at, source_webhook_log_id)
                values (:agency, :property, :platform, :code, :checkIn, :checkOut, :status,
                        :guestName, :guests, :total, :currency, :eventTime, :webhookLogId)
                on conflict (platform, reservation_code) do update
                    set check_in = excluded.check_in, check_out = excluded.check_out, status = excluded.status,
                        guest_name = excluded.guest_name, guests = excluded.guests, total_amount = excluded.total_amount,
                        currency = excluded.currency, source_updated_at = excluded.source_updated_at,
                        source_webhook_log_id = excluded.source_webhook_log_id, updated_at = now()
                    where bookings.source_updated_at is null
                       or bookings.source_updated_at < excluded.source_updated_at
                       or (bookings.source_updated_at = excluded.source_updated_at
                           and coalesce(bookings.source_webhook_log_id, 0) < excluded.source_webhook_log_id
                           and (bookings.status <> 'cancelled' or excluded.status = 'cancelled'))
                returning id, (select status from stored) as previous_status""", new MapSqlParameterSource()
                .addValue("agency", mapping.agencyId())
                .addValue("property", mapping.propertyId())
                .addValue("platform", r.platform())
                .addValue("code", r.reservationCode())
                .addValue("checkIn", r.checkIn())
                .addValue("checkOut", r.checkOut())
                .addValue("status", r.status())
                .addValue("guestName", r.guestName())
                .addValue("guests", r.guests())
                .addValue("total", r.total())
                .addValue("currency", r.currency())
                .addValue("eventTime", Timestamp.from(r.eventTime()))
                .addValue("webhookLogId", webhookLogId));
        if (changed.isEmpty()) {
            return false;
        }
        String previous = (String) changed.get(0).get("previous_status");
        String type = previous == null ? EventTypes.BOOKING_CREATED
                : "cancelled".equals(r.status()) && !"cancelled".equals(previous) ? EventTypes.BOOKING_CANCELLED
                : EventTypes.BOOKING_MODIFIED;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("booking_id", changed.get(0).get("id"));
        data.put("agency_id", mapping.agencyId());
        data.put("property_id", mapping.propertyId());
        data.put("mapping_id", mapping.id());
        data.put("platform", r.platform());
        data.put("reservation_code", r.reservationCode());
        data.put("status", r.status());
        data.put("previous_status", previous);
        data.put("check_in", r.checkIn());
        data.put("check_out", r.checkOut());
        data.put("guest_name", r.guestName());
        data.put("guests", r.guests());
        data.put("total_amount", r.total());
        data.put("currency", r.currency());
        data.put("source_updated_at", r.eventTime());
        events.record(type, mapping.agencyId(), data);
        doubleBookings.check((UUID) changed.get(0).get("id"));
        return true;
    }
}
