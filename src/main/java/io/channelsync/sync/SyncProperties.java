package io.channelsync.sync;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import io.channelsync.api.ApiException;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The availability sync queue and its crash recovery.
 *
 * @param consumers        concurrent consumers of the sync queue (channel-sync.queues.sync-jobs) ({@code CHANNEL_SYNC_SYNC_CONSUMERS})
 * @param queueSize        capacity of the in-memory queue ({@code CHANNEL_SYNC_SYNC_QUEUE_SIZE}); a job that
 *                         does not fit stays {@code pending} in the database for the recovery sweep
 * @param lease            fallback only: a running/retrying job with no owner (written by a version that did
 *                         not record owners) older than this (by {@code updated_at}) is taken back
 *                         ({@code CHANNEL_SYNC_SYNC_LEASE}); a dead instance's jobs are taken back by its heartbeat
 * @param recoveryInterval how often the recovery sweep runs (at most the heartbeat interval); it also runs at
 *                         start-up ({@code CHANNEL_SYNC_SYNC_RECOVERY_INTERVAL})
 * @param recoveryBatch    most jobs one sweep takes back
 * @param retryThreads     threads of the sync retries' own scheduled pool (bean {@code syncRedeliveryPool}, the
 *                         {@code executorServiceRef} of route configuration {@code sync-errors}): retries in backoff run
 *                         there, never on the consumers nor on Camel's pool shared with every other error handler, so
 *                         however many jobs are in backoff they use at most this many threads
 *                         ({@code CHANNEL_SYNC_SYNC_RETRY_THREADS})
 * @param maxRangeDays     most days (both ends counted) one sync or availability request may span; more is 422
 *                         ({@code CHANNEL_SYNC_SYNC_MAX_RANGE_DAYS}): a range is pushed day by day, so an
 *                         unbounded one would stall every agency's sync
 */
@Validated
@ConfigurationProperties("channel-sync.sync")
public record SyncProperties(@DefaultValue("8") @Min(1) int consumers,
                             @DefaultValue("20000") @Min(1) int queueSize,
                             @DefaultValue("5m") Duration lease,
                             @DefaultValue("5s") Duration recoveryInterval,
                             @DefaultValue("1000") @Min(1) int recoveryBatch,
                             @DefaultValue("2") @Min(1) int retryThreads,
                             @DefaultValue("731") @Min(1) int maxRangeDays) {

    /** 422 when {@code from..to} (both counted) spans more than {@link #maxRangeDays} days. */
    public void checkRange(String field, LocalDate from, LocalDate to) {
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > maxRangeDays) {
            throw ApiException.invalidField(field, "max_range", "the range " + from + " to " + to + " spans " + days
                    + " days; at most " + maxRangeDays + " (channel-sync.sync.max-range-days)");
        }
    }
}
