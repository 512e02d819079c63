package io.channelsync.reconciliation;

import io.channelsync.observability.DomainMdc;
import io.channelsync.alert.Alerts;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.ReservationPages;
import io.channelsync.reconciliation.BookingDriftDetector.PmsBooking;
import io.channelsync.reconciliation.Discrepancy.Kind;
import io.channelsync.reconciliation.Discrepancy.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reconciles one agency: for each enabled mapping, the channel's reservations of the listing
 * (read page by page) against the PMS's bookings of the property (read page by page, keyset on id),
 * then overlapping confirmed bookings per property. Memory per run is one page of each side plus the
 * set of reservation codes of the one mapping being checked; nothing is loaded per agency or globally.
 * <p>
 * Window: stays overlapping [today, today + days-ahead] (today in the configured time zone), plus PMS
 * bookings changed within changed-within-days; the channel is asked for [today - changed-within-days,
 * today + days-ahead] so that recently changed recent stays are found there too. A PMS booking outside
 * what the channel was asked for cannot be judged missing and is skipped.
 * <p>
 * A channel that cannot be reached (or answers an error) fails that mapping only: a
 * {@code channel_unreachable} finding, {@code mappings_failed + 1}, and the run ends {@code partial}
 * ({@code failed} when no mapping could be checked). The caller must hold the agency's {@link AgencyRunLock}.
 */
@Component
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final NamedParameterJdbcTemplate sql;
    private final ReconciliationRuns runs;
    private final ReconciliationProperties config;
    private final Alerts alerts;
    private final Channels channels;

    public Reconciler(NamedParameterJdbcTemplate sql, ReconciliationRuns runs, ReconciliationProperties config,
                      Alerts alerts, Channels channels) {
        this.sql = sql;
        this.runs = runs;
        this.config = config;
        this.alerts = alerts;
        this.channels = channels;
    }

    private record Mapping(UUID id, UUID propertyId, String platform, String listingId, String roomId) {
    }

    private record Window(LocalDate from, LocalDate to, LocalDate channelFrom, OffsetDateTime changedSince) {
    }

    /** Counters and findings of the run being made. */
    private final class Run {
        final long id;
        final UUID agencyId;
        int pms;
        int channel;
        int discrepancies;
        int mappings;
        int failed;
        Severity worst;

        Run(long id, UUID agencyId) {
            this.id = id;
            this.agencyId = agencyId;
        }

        void record(Discrepancy d) {
            runs.record(id, agencyId, d);
            discrepancies++;
            if (worst == null || d.kind().severity.compareTo(worst) > 0) {
                worst = d.kind().severity;
            }
        }
    }

    /** Runs a reconciliation of the agency to the end and returns its id. Never throws for a channel's failure. */
    public long reconcile(UUID agencyId, String trigger) {
        Run run = new Run(runs.start(agencyId, trigger), agencyId);
        try (var mdc = DomainMdc.with("run", run.id)) {
            return reconcile(run, agencyId);
        }
    }

    private long reconcile(Run run, UUID agencyId) {
        LocalDate today = LocalDate.now(ZoneId.of(config.timeZone()));
        Window window = new Window(today, today.plusDays(config.daysAhead()), today.minusDays(config.changedWithinDays()),
                OffsetDateTime.now().minusDays(config.changedWithinDays()));
        String status;
        String error = null;
        try {
            for (Mapping mapping : mappings(agencyId)) {
                run.mappings++;
                try {
                    reconcileMapping(run, mapping, window);
                } catch (IOException | RuntimeException e) {
                    run.failed++;
                    log.warn("Reconciliation run {}: mapping {} ({} listing {}) could not be checked: {}",
                            run.id, mapping.id(), mapping.platform(), mapping.listingId(), e.getMessage());
                    Map<String, Object> failure = new LinkedHashMap<>();
                    failure.put("platform", mapping.platform());
                    failure.put("listing_id", mapping.listingId());
                    failure.put("error", e.getMessage());
                    if (e instanceof ChannelCallException call) {
                        failure.put("http_status", call.status());
                    }
                    run.record(new Discrepancy(Kind.channel_unreachable, mapping.id(), mapping.propertyId(), null, null, failure));
                }
            }
            findDoubleBookings(run, window);
            status = run.failed == 0 ? "succeeded" : run.failed < run.mappings ? "partial" : "failed";
            if (run.failed > 0) {
                error = run.failed + " of " + run.mappings + " mapping(s) could not be checked";
            }
        } catch (RuntimeException e) {
            log.error("Reconciliation run {} of agency {} failed", run.id, agencyId, e);
            status = "failed";
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        runs.finish(run.id, status, new ReconciliationRuns.Counts(run.pms, run.channel, run.discrepancies, run.failed), error);
        log.info("Reconciliation run {} of agency {} {}: {} PMS booking(s), {} channel reservation(s), {} discrepancy(ies), {} mapping(s) failed",
                run.id, agencyId, status, run.pms, run.channel, run.discrepancies, run.failed);
        alert(run, status, error);
        return run.id;
    }

    private void reconcileMapping(Run run, Mapping mapping, Window window) throws IOException {
        ReservationPages channel = channels.find(mapping.platform()).flatMap(ChannelConnector::reservations)
                .orElseThrow(() -> new IOException("no reservation reader for platform " + mapping.platform()));
        Set<String> seen = new HashSet<>();
        List<Discrepancy> found = new ArrayList<>();
        int[] fetched = {0};
        // channel side first, one page at a time, each page's codes looked up in the PMS in one query
        channel.forEachPage(mapping.listingId(), mapping.roomId(), window.channelFrom(), window.to(), page -> {
            fetched[0] += page.size();
            List<ChannelReservation> fresh = page.stream().filter(r -> seen.add(r.reservationCode())).toList();
            if (fresh.isEmpty()) {
                return;
            }
            Map<String, PmsBooking> pms = byCode(run.agencyId, mapping.platform(), fresh);
            for (ChannelReservation r : fresh) {
                PmsBooking booking = pms.get(r.reservationCode());
                if (booking != null) {
                    found.addAll(BookingDriftDetector.compare(booking, r, mapping.id()));
                } else if (r.active()) {
                    found.add(new Discrepancy(Kind.missing_in_pms, mapping.id(), mapping.propertyId(), r.reservationCode(), null,
                            BookingDriftDetector.values(r)));
                    if ("confirmed".equals(r.status())) {
                        PmsBooking overlap = confirmedOverlap(mapping.propertyId(), r);
                        if (overlap != null) {
                            found.add(new Discrepancy(Kind.double_booking, mapping.id(), mapping.propertyId(), r.reservationCode(),
                                    overlap.values(), BookingDriftDetector.values(r)));
                        }
                    }
                }
                if (found.size() >= config.pageSize()) {
                    flush(run, found);
                }
            }
        });
        run.channel += fetched[0];
        flush(run, found);
        // PMS side: this property's bookings of this platform, page by page
        PmsBooking after = null;
        while (true) {
            List<PmsBooking> page = pmsPage(run.agencyId, mapping, window, after);
            for (PmsBooking b : page) {
                run.pms++;
                if (b.active() && !seen.contains(b.reservationCode())
                        && b.checkOut().isAfter(window.channelFrom()) && !b.checkIn().isAfter(window.to())) {
                    run.record(new Discrepancy(Kind.missing_on_channel, mapping.id(), mapping.propertyId(), b.reservationCode(),
                            b.values(), null));
                }
            }
            if (page.size() < config.pageSize()) {
                break;
            }
            after = page.get(page.size() - 1);
        }
    }

    private void flush(Run run, List<Discrepancy> found) {
        found.forEach(run::record);
        found.clear();
    }

    private List<Mapping> mappings(UUID agencyId) {
        return sql.query("""
                select id, property_id, platform, listing_id, room_id from channel_mappings
                where agency_id = :agency and sync_enabled and deleted_at is null order by id""",
                Map.of("agency", agencyId), (rs, i) -> new Mapping(rs.getObject("id", UUID.class),
                        rs.getObject("property_id", UUID.class), rs.getString("platform"), rs.getString("listing_id"),
                        rs.getString("room_id")));
    }

    private static final String BOOKING_COLUMNS =
            "id, property_id, platform, reservation_code, check_in, check_out, status, guests, total_amount, currency";

    private Map<String, PmsBooking> byCode(UUID agencyId, String platform, List<ChannelReservation> reservations) {
        Map<String, PmsBooking> found = new HashMap<>();
        sql.query("select " + BOOKING_COLUMNS + " from bookings where agency_id = :agency and platform = :platform and reservation_code in (:codes)",
                new MapSqlParameterSource("agency", agencyId).addValue("platform", platform)
                        .addValue("codes", reservations.stream().map(ChannelReservation::reservationCode).toList()),
                rs -> {
                    PmsBooking b = booking(rs);
                    found.put(b.reservationCode(), b);
                });
        return found;
    }

    /** One page of the property's bookings of the mapping's platform, keyset-paged on (check_in, id) along the (property_id, check_in) index. */
    private List<PmsBooking> pmsPage(UUID agencyId, Mapping mapping, Window window, PmsBooking after) {
        return sql.query("select " + BOOKING_COLUMNS + """
                 from bookings
                where property_id = :property and agency_id = :agency and platform = :platform
                  and ((check_out > :from and check_in <= :to) or updated_at >= :changedSince)
                  and (:first or (check_in, id) > (:afterCheckIn, :afterId))
                order by check_in, id limit :limit""",
                new MapSqlParameterSource("property", mapping.propertyId()).addValue("agency", agencyId)
                        .addValue("platform", mapping.platform()).addValue("from", window.from()).addValue("to", window.to())
                        .addValue("changedSince", window.changedSince()).addValue("first", after == null)
                        .addValue("afterCheckIn", after == null ? window.from() : after.checkIn())
                        .addValue("afterId", after == null ? new UUID(0, 0) : after.id())
                        .addValue("limit", config.pageSize()),
                (rs, i) -> booking(rs));
    }

    /** A confirmed PMS booking of the property whose stay overlaps the reservation's, if any. */
    private PmsBooking confirmedOverlap(UUID propertyId, ChannelReservation r) {
        return sql.query("select " + BOOKING_COLUMNS + """
                 from bookings
                where property_id = :property and status = 'confirmed' and check_in < :checkOut and check_out > :checkIn
                  and reservation_code is distinct from :code
                order by check_in limit 1""",
                new MapSqlParameterSource("property", propertyId).addValue("checkIn", r.checkIn())
                        .addValue("checkOut", r.checkOut()).addValue("code", r.reservationCode()),
                (rs, i) -> booking(rs)).stream().findFirst().orElse(null);
    }

    /** Overlapping confirmed bookings of one property, any platform, in the window: the worst case. */
    private void findDoubleBookings(Run run, Window window) {
        List<Discrepancy> found = new ArrayList<>();
        sql.query("""
                select a.id as a_id, a.property_id as a_property_id, a.platform as a_platform, a.reservation_code as a_reservation_code,
                       a.check_in as a_check_in, a.check_out as a_check_out, a.status as a_status, a.guests as a_guests,
                       a.total_amount as a_total_amount, a.currency as a_currency,
                       b.id as b_id, b.property_id as b_property_id, b.platform as b_platform, b.reservation_code as b_reservation_code,
                       b.check_in as b_check_in, b.check_out as b_check_out, b.status as b_status, b.guests as b_guests,
                       b.total_amount as b_total_amount, b.currency as b_currency
                from bookings a
                join bookings b on b.property_id = a.property_id and b.agency_id = a.agency_id and a.id < b.id
                               and b.status = 'confirmed' and b.check_in < a.check_out and b.check_out > a.check_in
                where a.agency_id = :agency and a.status = 'confirmed' and a.check_out > :from and a.check_in <= :to
                order by a.property_id, a.check_in""",
                new MapSqlParameterSource("agency", run.agencyId).addValue("from", window.from()).addValue("to", window.to()),
                rs -> {
                    PmsBooking a = booking(rs, "a_");
                    PmsBooking b = booking(rs, "b_");
                    Map<String, Object> both = new LinkedHashMap<>();
                    both.put("bookings", List.of(a.values(), b.values()));
                    found.add(new Discrepancy(Kind.double_booking, null, a.propertyId(),
                            a.reservationCode() != null ? a.reservationCode() : b.reservationCode(), both, null));
                });
        found.forEach(run::record);
    }

    private void alert(Run run, String status, String error) {
        if (run.discrepancies == 0 && !"failed".equals(status)) {
            return;
        }
        Map<String, Integer> byKind = runs.countByKind(run.id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run_id", run.id);
        details.put("agency_id", run.agencyId);
        details.put("status", status);
        details.put("pms_bookings", run.pms);
        details.put("channel_bookings", run.channel);
        details.put("discrepancies", run.discrepancies);
        details.put("mappings_failed", run.failed);
        details.put("by_kind", byKind);
        if (error != null) {
            details.put("error", error);
        }
        boolean critical = byKind.containsKey(Kind.double_booking.name());
        Alerts.Severity severity = critical ? Alerts.Severity.critical
                : run.worst == null ? Alerts.Severity.warning : Alerts.Severity.valueOf(run.worst.name());
        String kind = critical ? "reconciliation.double_booking" : run.discrepancies > 0 ? "reconciliation.drift" : "reconciliation.failed";
        String message = critical
                ? "Double booking: reconciliation run " + run.id + " found " + byKind.get(Kind.double_booking.name())
                  + " overlapping confirmed booking(s) among " + run.discrepancies + " discrepancy(ies) " + byKind
                : run.discrepancies > 0
                ? "Reconciliation run " + run.id + " found " + run.discrepancies + " discrepancy(ies) " + byKind + " (run " + status + ")"
                : "Reconciliation run " + run.id + " failed: " + error;
        alerts.raise(run.agencyId, run.id, severity, kind, message, details);
    }

    private static PmsBooking booking(ResultSet rs) throws SQLException {
        return booking(rs, "");
    }

    private static PmsBooking booking(ResultSet rs, String prefix) throws SQLException {
        Object guests = rs.getObject(prefix + "guests");
        return new PmsBooking(rs.getObject(prefix + "id", UUID.class), rs.getObject(prefix + "property_id", UUID.class),
                rs.getString(prefix + "platform"), rs.getString(prefix + "reservation_code"),
                rs.getObject(prefix + "check_in", LocalDate.class), rs.getObject(prefix + "check_out", LocalDate.class),
                rs.getString(prefix + "status"), guests == null ? null : ((Number) guests).intValue(),
                rs.getObject(prefix + "total_amount", BigDecimal.class), rs.getString(prefix + "currency"));
    }
}
