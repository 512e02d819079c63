package io.channelsync.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Inbound channel webhooks ({@code channel-sync.webhooks}). How each channel signs its webhooks is
 * its own block, {@code channel-sync.webhooks.<connector's configKey()>} ({@link Channel}), bound per
 * registered connector by {@link WebhookSignatureCheck}.
 *
 * @param tolerance    how far a signed timestamp may be from our clock, either way
 * @param maxBodyBytes larger bodies are refused with 413
 * @param dbTimeout    how long the intake waits for the database before answering 503
 * @param queueSize    capacity of the SEDA webhook queue (channel-sync.queues.webhook-events); when full, rows stay {@code received}
 * @param consumers    concurrent consumers of the processing route
 * @param commit       the group commit of the intake ({@link WebhookCommits})
 * @param recovery     the sweep that re-enqueues rows a dead process left behind
 * @param retry        redelivery of a failing event before it is marked failed
 * @param dbPoolSize   connections of the intake's own pool ({@link WebhookIntakePool}), whose connection
 *                     timeout is {@code dbTimeout}
 */
@ConfigurationProperties("channel-sync.webhooks")
public record WebhookProperties(@DefaultValue("300s") Duration tolerance,
                                @DefaultValue("262144") int maxBodyBytes,
                                @DefaultValue("5s") Duration dbTimeout,
                                @DefaultValue("1000") int queueSize,
                                @DefaultValue("4") int consumers,
                                Commit commit,
                                Recovery recovery,
                                Retry retry,
                                @DefaultValue("8") int dbPoolSize) {

    public WebhookProperties {
        commit = commit == null ? new Commit(0, 0) : commit;
        recovery = recovery == null ? new Recovery(null, null, null, null, 0, null) : recovery;
        if (maxBodyBytes <= 0 || queueSize <= 0 || consumers <= 0 || dbPoolSize <= 0) {
            throw new IllegalArgumentException("channel-sync.webhooks: max-body-bytes, queue-size, consumers and db-pool-size must be positive");
        }
    }

    /**
     * One channel's block, {@code channel-sync.webhooks.<key>}.
     *
     * @param scheme  the signature scheme: {@code timestamped-hmac}, {@code standard-webhooks}, {@code cns-jwt}, or any other {@link SignatureVerifier} bean's
     * @param secrets every secret currently valid (several during a rotation)
     */
    public record Channel(String scheme, List<String> secrets) {
        public Channel {
            secrets = secrets == null ? List.of() : secrets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * @param maxRows at most this many deliveries in one INSERT and one commit
     * @param writers threads committing batches (each holds one connection of the intake pool while it commits)
     */
    public record Commit(@DefaultValue("256") int maxRows, @DefaultValue("2") int writers) {
        public Commit {
            maxRows = maxRows <= 0 ? 256 : maxRows;
            writers = writers <= 0 ? 2 : writers;
        }
    }

    /**
     * The sweep that takes back rows no live instance holds ({@link WebhookRecovery}).
     *
     * @param receivedGrace a {@code received} row of a live instance older than this was never handed to its queue
     * @param queuedLease   fallback only: a {@code queued} row with no owner (written by a version that did
     *                      not record owners) older than this is taken; a dead instance's rows are taken at once
     * @param intervalMs    how often the sweep runs (at most the heartbeat interval: takeover within two heartbeats)
     * @param startDelayMs  when the first sweep runs after start-up
     * @param batchSize     rows claimed per statement; a sweep claims batches until none is left or the queue is full
     * @param refillIntervalMs once this instance's queue refused rows, how often the released rows are claimed as room frees up
     *                      ({@link WebhookRecovery#refill})
     */
    public record Recovery(@DefaultValue("10s") Duration receivedGrace, @DefaultValue("5m") Duration queuedLease,
                           @DefaultValue("5000") Long intervalMs, @DefaultValue("0") Long startDelayMs,
                           @DefaultValue("100") int batchSize, @DefaultValue("200") Long refillIntervalMs) {
        public Recovery {
            receivedGrace = receivedGrace == null ? Duration.ofSeconds(10) : receivedGrace;
            queuedLease = queuedLease == null ? Duration.ofMinutes(5) : queuedLease;
            intervalMs = intervalMs == null ? 5_000L : intervalMs;
            startDelayMs = startDelayMs == null ? 0L : startDelayMs;
            batchSize = batchSize <= 0 ? 100 : batchSize;
            refillIntervalMs = refillIntervalMs == null ? 200L : refillIntervalMs;
        }
    }

    /** Exponential redelivery: initialDelayMs, then × backoffMultiplier, at most maxDelayMs, maxRetries times. */
    public record Retry(@DefaultValue("1000") long initialDelayMs, @DefaultValue("2") double backoffMultiplier,
                        @DefaultValue("5") int maxRetries, @DefaultValue("60000") long maxDelayMs) {
    }
}
