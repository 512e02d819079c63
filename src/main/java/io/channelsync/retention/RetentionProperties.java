package io.channelsync.retention;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How long history is kept (issue 15: no recurring cost may grow with the tables). Route {@code retention}.
 *
 * @param rawBodies   raw webhook bodies of finished rows are emptied after this ({@code CHANNEL_SYNC_RETENTION_RAW_BODIES})
 * @param rows        finished webhook rows, finished sync jobs and finished subscription deliveries (each with
 *                    their attempts), and events with no delivery left, are deleted after this
 *                    ({@code CHANNEL_SYNC_RETENTION_ROWS})
 * @param dedupKeys   a webhook row (its event id, the deduplication key) is kept at least this long whatever
 *                    {@code rows} says: longer than any channel retries a delivery ({@code CHANNEL_SYNC_RETENTION_DEDUP_KEYS})
 * @param interval    how often the route prunes ({@code CHANNEL_SYNC_RETENTION_INTERVAL})
 * @param batchSize   rows per statement: short transactions, no long lock
 * @param maxBatches  most statements of each kind per run: one run never holds the database long
 */
@Validated
@ConfigurationProperties("channel-sync.retention")
public record RetentionProperties(@DefaultValue("30d") Duration rawBodies,
                                  @DefaultValue("90d") Duration rows,
                                  @DefaultValue("14d") Duration dedupKeys,
                                  @DefaultValue("1h") Duration interval,
                                  @DefaultValue("1000") @Min(1) int batchSize,
                                  @DefaultValue("100") @Min(1) int maxBatches) {

    /** Webhook rows: never before their deduplication key may be needed again. */
    public Duration webhookRows() {
        return rows.compareTo(dedupKeys) >= 0 ? rows : dedupKeys;
    }
}
