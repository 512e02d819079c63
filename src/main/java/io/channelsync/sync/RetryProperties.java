package io.channelsync.sync;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

/**
 * Exponential backoff of availability sync jobs (the {@code sync-errors} route configuration reads
 * the same keys): retry n waits {@code initialDelayMs * backoffMultiplier^(n-1)}, at most
 * {@code maxDelayMs}. With the defaults: 1 s, 2 s, 4 s, 8 s, 16 s.
 *
 * @param initialDelayMs    delay before the first retry ({@code CHANNEL_SYNC_RETRY_INITIAL_DELAY_MS})
 * @param backoffMultiplier factor between consecutive delays ({@code CHANNEL_SYNC_RETRY_BACKOFF_MULTIPLIER})
 * @param maxRetries        retries written into each new job's {@code max_retries}; the row's value is
 *                          what the retry decision reads ({@code CHANNEL_SYNC_RETRY_MAX_RETRIES})
 * @param maxDelayMs        cap of one delay ({@code CHANNEL_SYNC_RETRY_MAX_DELAY_MS})
 */
@Validated
@ConfigurationProperties("channel-sync.retry")
public record RetryProperties(@DefaultValue("1000") @Min(1) long initialDelayMs,
                              @DefaultValue("2") @DecimalMin("1.0") double backoffMultiplier,
                              @DefaultValue("5") @Min(0) int maxRetries,
                              @DefaultValue("60000") @Min(1) long maxDelayMs) {

    /** The backoff before retry number {@code retry} (1-based), as Camel's RedeliveryPolicy computes it. */
    public long delayBeforeRetry(int retry) {
        double delay = initialDelayMs * Math.pow(backoffMultiplier, Math.max(0, retry - 1));
        return (long) Math.min(delay, maxDelayMs);
    }
}
