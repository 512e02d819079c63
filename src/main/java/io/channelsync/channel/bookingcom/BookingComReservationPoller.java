package io.channelsync.channel.bookingcom;

import io.channelsync.alert.Alerts;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.db.AdvisoryLocks;
import io.channelsync.instance.Instances;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One poll of Booking.com's reservation queue (route {@code booking-com-poll}), following "Retrieving new
 * reservations" / "Retrieving modified/cancelled reservations" and their acknowledgement pages:
 * <ol>
 *   <li>Only one poller at a time across instances: a PostgreSQL session advisory lock
 *       ({@code pg_try_advisory_lock(}{@value #LOCK_NAMESPACE}{@code , 1)}) on a connection held, in auto-commit,
 *       for the poll (never a transaction: no channel call runs inside one). An instance that does not get it skips.</li>
 *   <li>Once per {@code poll-interval} across the cluster: every instance's timer wakes this up every
 *       {@code poll-check-interval}; under the lock it polls only when {@code channel_polls} says the last poll of
 *       any instance is at least {@code poll-interval} old, or when a poll was {@link #request() requested} here
 *       (a CNS notification), and records this poll there in the same statement. When the polling instance dies,
 *       another finds the poll due within one check interval of its due time.</li>
 *   <li>For {@code OTA_HotelResNotif}, then {@code OTA_HotelResModifyNotif}: wait until
 *       {@code ack-pause} (5 s) has passed since our last acknowledgement to that endpoint, GET it, read every
 *       message ({@link OtaReservations}).</li>
 *   <li>The GET's messages recorded as seen (one statement); each stored and applied in one transaction ({@link BookingComReservationStore}),
 *       {@code store-threads} messages at a time (the messages of one reservation one after another, in their order);
 *       then, once every message of the GET is committed, acknowledged: the successes in one request (the
 *       {@code HotelReservationID} tag repeated; also one parked for an unmapped room: it is durably ours, and applied
 *       when the room is mapped), and each one that could not be stored as failed WITH its id, on its own
 *       (Booking.com keeps it queued and returns it at the next GET). An acknowledgement that fails (5xx, timeout)
 *       is retried with exponential backoff ({@code ack-retries}, {@code ack-retry-delay}); if it never goes
 *       through, the message stays queued at Booking.com and the next poll deduplicates and acknowledges it.</li>
 *   <li>Messages still unacknowledged {@code unacknowledged-alert-after} (25 min) after they were first polled
 *       raise one alert each (Booking.com e-mails them to the property after about 30 minutes).</li>
 * </ol>
 * A poll never throws: what went wrong is logged, and the next poll starts over.
 */
@Component("bookingComReservationPoller")
public class BookingComReservationPoller {

    private static final Logger log = LoggerFactory.getLogger(BookingComReservationPoller.class);
    /** First half of the advisory key: the Booking.com poll's own namespace. */
    public static final int LOCK_NAMESPACE = 6010;
    /** The row of {@code channel_polls} this poll keeps. */
    static final String PLATFORM = "booking_com";

    private final AdvisoryLocks locks;
    private final NamedParameterJdbcTemplate sql;
    private final Instances instances;
    private final BookingComReservationQueue queue;
    private final BookingComReservationStore store;
    private final BookingComReservationMessages messages;
    private final Alerts alerts;
    private final BookingComReservationProperties config;
    private final Map<OtaReservations.Kind, Instant> lastAck = new EnumMap<>(OtaReservations.Kind.class);
    /** A poll was asked for on this instance and has not run yet: outlives a wake-up the one-slot queue dropped. */
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Stores the messages of one GET several at a time (storeThreads). */
    private final ExecutorService storing;

    public BookingComReservationPoller(AdvisoryLocks locks, NamedParameterJdbcTemplate sql, Instances instances,
                                       BookingComReservationQueue queue, BookingComReservationStore store,
                                       BookingComReservationMessages messages, Alerts alerts, BookingComReservationProperties config) {
        this.locks = locks;
        this.sql = sql;
        this.instances = instances;
        this.queue = queue;
        this.store = store;
        this.messages = messages;
        this.alerts = alerts;
        this.config = config;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("booking-com-store-");
        threads.setDaemon(true);
        this.storing = Executors.newFixedThreadPool(config.storeThreads(), threads);
    }

    @PreDestroy
    void stopStoring() {
        storing.shutdown();
    }

    /**
     * Route {@code booking-com-poll-now}: the next {@link #poll()} here polls whether or not the cluster's poll is due.
     * Set before the wake-up is queued, so a wake-up dropped because one is already waiting loses nothing.
     */
    public void request() {
        requested.set(true);
    }

    /**
     * Route {@code booking-com-poll}: one poll of both endpoints if one was requested here or the cluster's poll is due;
     * skipped when another instance is polling (a request then stays, and the next wake-up here polls).
     */
    public void poll() {
        Optional<AdvisoryLocks.Held> lock;
        try {
            lock = locks.tryAcquire(LOCK_NAMESPACE, 1);
        } catch (SQLException e) {
            log.warn("Booking.com poll skipped: could not take the poll lock ({})", e.getMessage());
            return;
        }
        if (lock.isEmpty()) {
            log.debug("Booking.com poll skipped: another instance is polling");
            return;
        }
        try (AdvisoryLocks.Held held = lock.get()) {
            if (!claim(requested.get())) {
                log.debug("Booking.com poll not due: the cluster polled less than {} ago", config.pollInterval());
                return;
            }
            requested.set(false); // this poll's GETs come after the request: they see what it asked for
            for (OtaReservations.Kind kind : OtaReservations.Kind.values()) {
                pollEndpoint(kind);
            }
            alertOverdue();
        } catch (RuntimeException e) {
            log.error("Booking.com poll stopped: {}", e.toString(), e);
        }
    }

    /**
     * Records this poll as the cluster's last one if it was asked for or the last one is at least {@code poll-interval}
     * old (the database's clock); @return whether it did, i.e. whether to poll now
     */
    private boolean claim(boolean asked) {
        return sql.update("""
                insert into channel_polls as p (platform, polled_at, polled_by) values (:platform, now(), :me)
                on conflict (platform) do update set polled_at = excluded.polled_at, polled_by = excluded.polled_by
                 where :asked or p.polled_at <= now() - make_interval(secs => :intervalMs / 1000.0)""",
                new MapSqlParameterSource("platform", PLATFORM).addValue("me", instances.id()).addValue("asked", asked)
                        .addValue("intervalMs", config.pollInterval().toMillis())) == 1;
    }

    private void pollEndpoint(OtaReservations.Kind kind) {
        pauseAfterAcknowledgement(kind);
        List<OtaReservations.Reservation> polled;
        try {
            polled = OtaReservations.read(kind, queue.fetch(kind));
        } catch (IOException e) {
            log.warn("Booking.com GET {} failed ({}); the next poll tries again", kind.endpoint, e.getMessage());
            return;
        }
        if (!polled.isEmpty()) {
            log.info("Booking.com GET {}: {} message(s)", kind.endpoint, polled.size());
        }
        // every message stored first (each commit enqueues its own sync jobs at once), several at a time (one
        // reservation's messages in their order), then the acknowledgements, after every commit of the GET
        Map<String, List<OtaReservations.Reservation>> byReservation = new LinkedHashMap<>();
        for (OtaReservations.Reservation r : polled) {
            if (r.reservationId() == null) {
                log.error("Booking.com {} message without HotelReservationID@ResID_Value: cannot be stored nor acknowledged", kind.endpoint);
                continue;
            }
            byReservation.computeIfAbsent(r.reservationId(), id -> new ArrayList<>()).add(r);
        }
        seen(byReservation.values().stream().flatMap(List::stream).toList());
        record Stored(OtaReservations.Reservation reservation, String error) {
        }
        List<CompletableFuture<List<Stored>>> stores = byReservation.values().stream()
                .map(messagesOfOne -> CompletableFuture.supplyAsync(
                        () -> messagesOfOne.stream().map(r -> new Stored(r, storeOne(r))).toList(), storing))
                .toList();
        List<Stored> stored = stores.stream().flatMap(store -> store.join().stream()).toList(); // all stored, then the acknowledgements
        List<OtaReservations.Reservation> succeeded = stored.stream().filter(m -> m.error() == null).map(Stored::reservation).toList();
        if (!succeeded.isEmpty()) {
            acknowledge(kind, succeeded, null); // one request for every success of this GET
        }
        stored.stream().filter(m -> m.error() != null).forEach(m -> acknowledge(kind, List.of(m.reservation()), m.error()));
    }

    /**
     * Records this GET's messages as seen (the unacknowledged alert's clock starts there). A failure is logged and the
     * poll goes on: the stores decide each message's acknowledgement, and a message never acknowledged stays queued at
     * Booking.com, so the next GET records it.
     */
    private void seen(List<OtaReservations.Reservation> storable) {
        try {
            messages.seen(storable);
        } catch (RuntimeException e) {
            log.warn("Booking.com GET: {} message(s) could not be recorded as seen ({}); storing them anyway", storable.size(), e.getMessage());
        }
    }

    /** Stores the message; @return why it could not be stored (acknowledged as failed), or null */
    private String storeOne(OtaReservations.Reservation r) {
        try {
            return store.store(r).error();
        } catch (RuntimeException e) {
            log.error("Booking.com reservation {} ({}) could not be stored; acknowledged as failed so Booking.com keeps it",
                    r.reservationId(), r.eventId(), e);
            return "could not be stored: " + e.getMessage();
        }
    }

    /**
     * After their commits: these messages' success (all in one request), or one message's failure with its reason;
     * retried with backoff while Booking.com answers 5xx or times out.
     */
    private void acknowledge(OtaReservations.Kind kind, List<OtaReservations.Reservation> reservations, String error) {
        List<OtaAcknowledgements.Message> acknowledged = reservations.stream()
                .map(r -> new OtaAcknowledgements.Message(r.reservationId(), r.createdAt())).toList();
        String which = reservations.size() == 1 ? "reservation " + reservations.get(0).reservationId() + " (" + reservations.get(0).eventId() + ")"
                : reservations.size() + " reservation messages";
        Duration delay = config.ackRetryDelay();
        for (int attempt = 0; ; attempt++) {
            try {
                queue.acknowledge(kind, acknowledged, error);
                lastAck.put(kind, Instant.now());
                if (error == null) {
                    bookkeeping(() -> messages.acknowledged(reservations.stream().map(OtaReservations.Reservation::eventId).toList()));
                    log.debug("Booking.com {} acknowledged", which);
                } else {
                    reservations.forEach(r -> bookkeeping(() -> messages.notAcknowledged(r.eventId(), error)));
                    log.warn("Booking.com {} acknowledged as failed ({}); Booking.com keeps it queued", which, error);
                }
                return;
            } catch (IOException e) {
                boolean retryable = !(e instanceof ChannelCallException c) || c.isTransient();
                if (!retryable || attempt >= config.ackRetries()) {
                    reservations.forEach(r -> bookkeeping(() -> messages.notAcknowledged(r.eventId(), "acknowledgement failed: " + e.getMessage())));
                    log.warn("Booking.com acknowledgement of {} failed after {} attempt(s): {}; they stay queued at Booking.com "
                            + "and the next poll acknowledges them", which, attempt + 1, e.getMessage());
                    return;
                }
                log.warn("Booking.com acknowledgement of {} failed ({}); retry in {} ms", which, e.getMessage(), delay.toMillis());
                if (!sleep(delay)) {
                    return;
                }
                delay = delay.multipliedBy(2);
            }
        }
    }

    /** Recording an acknowledgement must not stop the poll (the database may be what failed): logged instead. */
    private static void bookkeeping(Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            log.warn("Booking.com acknowledgement bookkeeping failed: {}", e.getMessage());
        }
    }

    private void alertOverdue() {
        for (BookingComReservationMessages.Unacknowledged m : messages.claimOverdue(config.unacknowledgedAlertAfter())) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reservation_id", m.reservationId());
            details.put("event_id", m.eventId());
            details.put("endpoint", m.endpoint());
            details.put("hotel_id", m.hotelId());
            details.put("first_seen_at", m.firstSeenAt().toString());
            details.put("last_ack_error", m.lastAckError());
            alerts.raise(null, null, Alerts.Severity.critical, "booking_com_unacknowledged",
                    "Booking.com reservation " + m.reservationId() + " (hotel " + m.hotelId() + ") is still unacknowledged since "
                            + m.firstSeenAt() + " (" + m.lastAckError() + "); Booking.com e-mails it to the property after about 30 minutes",
                    details);
        }
    }

    private void pauseAfterAcknowledgement(OtaReservations.Kind kind) {
        Instant last = lastAck.get(kind);
        if (last != null) {
            Duration left = Duration.between(Instant.now(), last.plus(config.ackPause()));
            if (!left.isNegative() && !left.isZero()) {
                sleep(left);
            }
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
