package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ReservationPages;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Booking.com's side of a reconciliation (issue 10, section 6). Booking.com offers no listing of a hotel's
 * reservations by stay window, so its side is:
 * <ol>
 *   <li>what Booking.com delivered through the poll: every reservation message stored in {@code webhook_log}
 *       (platform {@code booking_com}, processed or failed), read again from its raw XML with {@link OtaReservations},
 *       the newest version of each booking (version, then arrival) for the mapping's hotel and room whose stay
 *       overlaps the window. A message that could not be stored (no mapping at the time, invalid) thus shows up as
 *       missing in the PMS; a PMS booking changed or removed by hand shows up as drift;</li>
 *   <li>when {@code channel-sync.channels.booking-com.missed-reservations-path} is set, Booking.com's
 *       missed-reservations endpoint (Reservation Recovery API) on the reservations host:
 *       {@code GET {reservations-base-url}{path}} with the machine-account token. Its reservation elements
 *       ({@code HotelReservation} / {@code HotelResModify}) are read like the queue's; the endpoint is off by
 *       default (Booking.com activates it per provider).</li>
 * </ol>
 * Reservations Booking.com still holds unacknowledged are flagged by the poll itself (an alert 25 minutes after
 * first seen: {@link BookingComReservationPoller}), not once a day here.
 */
@Component
public class BookingComReservationsClient implements ReservationPages {

    private static final int PAGE = 200;
    private final BookingComReservationProperties properties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;
    private final NamedParameterJdbcTemplate sql;

    public BookingComReservationsClient(BookingComReservationProperties properties, BookingComTokenProvider tokens, ChannelHttp http,
                                        NamedParameterJdbcTemplate sql) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
        this.sql = sql;
    }

    @Override
    public String platform() {
        return BookingComConnector.PLATFORM;
    }

    @Override
    public void forEachPage(String hotelId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException {
        emit(received(hotelId, roomId, from, to), page);
        if (properties.missedReservationsEnabled()) {
            String path = properties.missedReservationsPath();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.reservationsBaseUrl() + (path.startsWith("/") ? "" : "/") + path))
                    .header("Accept", "application/xml").GET();
            byte[] body = http.callWithBearer(BookingComConnector.PLATFORM, "GET missed reservations", tokens, request, HttpResponse.BodyHandlers.ofByteArray()).body();
            List<OtaReservations.Reservation> missed = new ArrayList<>(OtaReservations.read(OtaReservations.Kind.NEW, body));
            missed.addAll(OtaReservations.read(OtaReservations.Kind.MODIFIED, body));
            Map<String, Versioned> newest = new LinkedHashMap<>();
            for (OtaReservations.Reservation r : missed) {
                keepNewest(newest, r, 0);
            }
            emit(select(newest, hotelId, roomId, from, to), page);
        }
    }

    private record Versioned(ChannelReservation booking, Instant version, long arrival) {
    }

    /** The newest version of each booking delivered through the poll for this hotel. */
    private List<ChannelReservation> received(String hotelId, String roomId, LocalDate from, LocalDate to) throws IOException {
        Map<String, Versioned> newest = new LinkedHashMap<>();
        List<Map<String, Object>> rows = sql.queryForList("""
                select id, event_type, raw_body from webhook_log
                where platform = 'booking_com' and event_type in ('OTA_HotelResNotif', 'OTA_HotelResModifyNotif')
                  and status in ('processed', 'failed', 'unmapped') and payload->>'hotel_id' = :hotel
                order by id""", new MapSqlParameterSource("hotel", hotelId));
        for (Map<String, Object> row : rows) {
            OtaReservations.Kind kind = "OTA_HotelResNotif".equals(row.get("event_type")) ? OtaReservations.Kind.NEW : OtaReservations.Kind.MODIFIED;
            for (OtaReservations.Reservation r : OtaReservations.read(kind, (byte[]) row.get("raw_body"))) {
                keepNewest(newest, r, ((Number) row.get("id")).longValue());
            }
        }
        return select(newest, hotelId, roomId, from, to);
    }

    private static void keepNewest(Map<String, Versioned> newest, OtaReservations.Reservation r, long arrival) {
        Instant version = r.versionTime() == null ? Instant.EPOCH : r.versionTime();
        for (ChannelReservation b : r.bookings()) {
            Versioned held = newest.get(b.reservationCode());
            // as ChannelBookings.upsert: arrival breaks ties, but a cancellation of the same version is final
            if (held == null || held.version().isBefore(version) || (held.version().equals(version) && held.arrival() <= arrival
                    && (held.booking().active() || !b.active()))) {
                newest.put(b.reservationCode(), new Versioned(b, version, arrival));
            }
        }
    }

    private static List<ChannelReservation> select(Map<String, Versioned> newest, String hotelId, String roomId, LocalDate from, LocalDate to) {
        return newest.values().stream().map(Versioned::booking)
                .filter(b -> hotelId.equals(b.listingId()) && (roomId == null || roomId.equals(b.roomId())))
                .filter(b -> b.checkIn() != null && b.checkOut() != null && b.checkOut().isAfter(from) && !b.checkIn().isAfter(to))
                .sorted(Comparator.comparing(ChannelReservation::checkIn).thenComparing(ChannelReservation::reservationCode))
                .toList();
    }

    private static void emit(List<ChannelReservation> all, PageConsumer page) {
        for (int i = 0; i < all.size(); i += PAGE) {
            page.accept(all.subList(i, Math.min(all.size(), i + PAGE)));
        }
    }
}
