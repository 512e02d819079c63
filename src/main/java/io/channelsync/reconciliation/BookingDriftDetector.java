package io.channelsync.reconciliation;

import io.channelsync.channel.ChannelReservation;
import io.channelsync.reconciliation.Discrepancy.Kind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides how one PMS booking and the channel's reservation of the same code differ. Dates and
 * status are always compared; guests and amount only when both sides are active and both state a
 * value (a cancelled stay's guest count does not matter).
 */
public final class BookingDriftDetector {

    private BookingDriftDetector() {
    }

    public static List<Discrepancy> compare(PmsBooking pms, ChannelReservation channel, UUID mappingId) {
        List<Discrepancy> found = new ArrayList<>();
        if (!pms.checkIn().equals(channel.checkIn()) || !pms.checkOut().equals(channel.checkOut())) {
            found.add(of(Kind.dates_differ, pms, channel, mappingId));
        }
        if (!pms.status().equals(channel.status())) {
            found.add(of(Kind.status_differs, pms, channel, mappingId));
        }
        if (pms.active() && channel.active()) {
            if (pms.guests() != null && channel.guests() != null && !pms.guests().equals(channel.guests())) {
                found.add(of(Kind.guests_differ, pms, channel, mappingId));
            }
            if (amountsDiffer(pms.totalAmount(), pms.currency(), channel.total(), channel.currency())) {
                found.add(of(Kind.amount_differs, pms, channel, mappingId));
            }
        }
        return found;
    }

    static boolean amountsDiffer(BigDecimal a, String currencyA, BigDecimal b, String currencyB) {
        if (a == null || b == null) {
            return false;
        }
        if (currencyA != null && currencyB != null && !currencyA.trim().equalsIgnoreCase(currencyB.trim())) {
            return true;
        }
        return a.compareTo(b) != 0;
    }

    static Discrepancy of(Kind kind, PmsBooking pms, ChannelReservation channel, UUID mappingId) {
        String code = channel != null ? channel.reservationCode() : pms.reservationCode();
        UUID property = pms != null ? pms.propertyId() : null;
        return new Discrepancy(kind, mappingId, property, code, pms == null ? null : pms.values(), values(channel));
    }

    public static Map<String, Object> values(ChannelReservation r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("reservation_code", r.reservationCode());
        v.put("listing_id", r.listingId());
        if (r.roomId() != null) {
            v.put("room_id", r.roomId());
        }
        v.put("check_in", r.checkIn().toString());
        v.put("check_out", r.checkOut().toString());
        v.put("status", r.status());
        v.put("guests", r.guests());
        v.put("amount", r.total());
        v.put("currency", r.currency());
        return v;
    }

    /** A row of {@code bookings}, as much as reconciliation needs. */
    public record PmsBooking(UUID id, UUID propertyId, String platform, String reservationCode,
                             java.time.LocalDate checkIn, java.time.LocalDate checkOut, String status,
                             Integer guests, BigDecimal totalAmount, String currency) {

        public boolean active() {
            return !"cancelled".equals(status);
        }

        public Map<String, Object> values() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("booking_id", id.toString());
            v.put("reservation_code", reservationCode);
            v.put("platform", platform);
            v.put("check_in", checkIn.toString());
            v.put("check_out", checkOut.toString());
            v.put("status", status);
            v.put("guests", guests);
            v.put("total_amount", totalAmount);
            v.put("currency", currency == null ? null : currency.trim());
            return v;
        }

        boolean sameCode(String code) {
            return Objects.equals(reservationCode, code);
        }
    }
}
