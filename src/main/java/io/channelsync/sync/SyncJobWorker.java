package io.channelsync.sync;

import io.channelsync.channel.AvailabilityPush;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.ChannelFailures;
import io.channelsync.channel.Channels;
import io.channelsync.channel.MappedListing;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The two steps of the {@code availability-sync} route: {@link #claim} takes a job (pending -> running,
 * attempt 1) and {@link #push} makes one attempt: read the mapping, push what changed in its calendar
 * ({@link CalendarPush}), record the outcome. {@code push} is the step Camel's error handler redelivers; before each
 * redelivery {@link SyncRedelivery} moves the job retrying -> running with a new attempt row.
 */
@Component("syncJobWorker")
public class SyncJobWorker {

    public static final String JOB_HEADER = "syncJobId";
    static final String ATTEMPT = "syncAttempt";
    static final String RETRY_COUNT = "syncRetryCount";
    static final String MAX_RETRIES = "syncMaxRetries";
    /** The {@link SyncStateMachine.Claim} of the attempt in progress (its fencing token included). */
    public static final String CLAIM = "syncClaim";
    private static final Logger log = LoggerFactory.getLogger(SyncJobWorker.class);

    /** A failure retrying cannot fix: an invalid mapping, a bad job payload. */
    public static class PermanentSyncFailure extends RuntimeException {
        public PermanentSyncFailure(String message) {
            super(message);
        }
    }

    private final SyncStateMachine states;
    private final NamedParameterJdbcTemplate sql;
    private final Channels channels;
    private final CalendarPush calendar;
    private final RetryProperties retry;
    private final SyncProperties sync;
    private final ChannelBreakers breakers;
    private final Clock clock = Clock.systemUTC();

    public SyncJobWorker(SyncStateMachine states, NamedParameterJdbcTemplate sql, Channels channels, CalendarPush calendar,
                         RetryProperties retry, SyncProperties sync, ChannelBreakers breakers) {
        this.breakers = breakers;
        this.states = states;
        this.sql = sql;
        this.channels = channels;
        this.calendar = calendar;
        this.retry = retry;
        this.sync = sync;
    }

    /** pending -> running. False (the route drops the message) when the job is not pending: another worker has it, or it is done. */
    public boolean claim(Exchange exchange) {
        long jobId = exchange.getMessage().getHeader(JOB_HEADER, Long.class);
        Optional<SyncStateMachine.Claim> claim = states.start(jobId);
        claim.ifPresent(c -> remember(exchange, c));
        return claim.isPresent();
    }

    static void remember(Exchange exchange, SyncStateMachine.Claim claim) {
        exchange.setProperty(CLAIM, claim);
        exchange.setProperty(ATTEMPT, claim.attemptNumber());
        exchange.setProperty(RETRY_COUNT, claim.retryCount());
        exchange.setProperty(MAX_RETRIES, claim.maxRetries());
    }

    /** One attempt: push the calendar to the mapping's channel and record the outcome; throws on failure. */
    public void push(Exchange exchange) throws Exception {
        long jobId = exchange.getMessage().getHeader(JOB_HEADER, Long.class);
        SyncStateMachine.Claim claim = exchange.getProperty(CLAIM, SyncStateMachine.Claim.class);
        int attempt = claim.attemptNumber();
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        try {
            int status = pushOnce(jobId);
            if (!states.succeed(claim, status)) {
                log.warn("Sync job {} pushed, but it was no longer running under lease token {} (taken over): "
                        + "its new owner's outcome stands", jobId, claim.token());
            }
        } catch (ChannelBreakers.ChannelDown down) {
            // the channel is down: held with its retries kept (no retry, no dead letter); resumed when it is back
            Throwable cause = down.called() ? down.getCause() : down;
            states.hold(claim, down.called() ? "transient_failure" : "held", ChannelFailures.httpStatus(cause),
                    ChannelFailures.describe(cause));
            log.debug("Sync job {} attempt {} held: {}", jobId, attempt, down.getMessage());
        } catch (Exception failure) {
            String error = ChannelFailures.describe(failure);
            Integer status = ChannelFailures.httpStatus(failure);
            if (ChannelFailures.isTransient(failure)) {
                long delay = delayBeforeNextAttempt(claim, failure);
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay);
                states.retrying(claim, status, error, delay);
                log.debug("Sync job {} attempt {} failed transiently: {}; next attempt in {} ms", jobId, attempt, error, delay);
            } else {
                states.fail(claim, status, error);
                log.debug("Sync job {} attempt {} failed permanently: {}", jobId, attempt, error); // the exhausted line says it once
            }
            throw failure;
        }
    }

    /**
     * The backoff before the next retry, by the job's own retry_count (so a job taken over by another
     * instance continues its schedule instead of starting again at the first delay); a 429/503
     * Retry-After longer than that replaces it, capped at half the lease. Camel waits it (the
     * {@code CamelRedeliveryDelay} header) and the row records when it ends ({@code next_attempt_at}).
     */
    private long delayBeforeNextAttempt(SyncStateMachine.Claim claim, Throwable failure) {
        long backoff = retry.delayBeforeRetry(claim.retryCount() + 1);
        return ChannelFailures.retryAfter(failure, clock).map(Duration::toMillis)
                .filter(wait -> wait > backoff)
                .map(wait -> Math.min(wait, sync.lease().toMillis() / 2))
                .orElse(backoff);
    }

    private int pushOnce(long jobId) throws Exception {
        Map<String, Object> job = sql.queryForList("""
                select m.id as mapping_id, m.platform, m.listing_id, m.room_id, m.rate_plan_id, m.sync_enabled, m.deleted_at,
                       m.property_id, s.payload ->> 'from' as day_from, s.payload ->> 'to' as day_to,
                       coalesce(s.payload ->> 'full', 'false') = 'true' as full_sync
                from sync_logs s join channel_mappings m on m.id = s.mapping_id and m.agency_id = s.agency_id
                where s.id = :id""", new MapSqlParameterSource("id", jobId)).stream().findFirst()
                .orElseThrow(() -> new PermanentSyncFailure("sync job " + jobId + " not found"));
        if (job.get("deleted_at") != null || !Boolean.TRUE.equals(job.get("sync_enabled"))) {
            throw new PermanentSyncFailure("invalid mapping: the mapping of sync job " + jobId + " is deleted or has sync disabled");
        }
        LocalDate from = parseDay(job.get("day_from"), LocalDate.now(clock));
        LocalDate to = parseDay(job.get("day_to"), from.plusDays(365));
        if (to.isBefore(from)) {
            throw new PermanentSyncFailure("invalid job payload: to " + to + " is before from " + from);
        }
        String platform = (String) job.get("platform");
        ChannelConnector connector = channels.find(platform)
                .orElseThrow(() -> new PermanentSyncFailure("invalid mapping: unknown platform " + platform));
        AvailabilityPush push = connector.availability();
        return calendar.push((UUID) job.get("mapping_id"), job.get("property_id"), new MappedListing((String) job.get("listing_id"),
                (String) job.get("room_id"), (String) job.get("rate_plan_id")), connector.monthsPerPush(),
                (target, nights) -> breakers.call(platform, () -> push.push(target, nights)),
                from, to, Boolean.TRUE.equals(job.get("full_sync")));
    }

    private static LocalDate parseDay(Object value, LocalDate fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.toString());
        } catch (RuntimeException e) {
            throw new PermanentSyncFailure("invalid job payload: " + value + " is not a date");
        }
    }
}
