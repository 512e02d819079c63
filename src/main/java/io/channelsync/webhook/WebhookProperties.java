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
 * @param queueSize    capacity of {@code seda:webhook-events}; when full, rows stay {@code received}
 * @param consumers    concurrent consumers of the processing route
 * @param commit       the group commit of the intake ({@link WebhookCommits})
 * @param recovery     the sweep that re-enqueues rows a dead process left behind
 * @param retry        redelivery of a failing event before it is marked failed
 */
@ConfigurationProperties("channel-sync.webhooks")
public record WebhookProperties(@DefaultValue("300s") Duration tolerance,
                                @DefaultValue("262144") int maxBodyBytes,
                                @DefaultValue("5s") Duration dbTimeout,
                                @DefaultValue("1000") int queueSize,
                                @DefaultValue("4") int consumers,
                                Commit commit,
                                Recovery recovery,
                                Retry retry) {

    public WebhookProperties {
        commit = commit == null ? new Commit(0, 0) : commit;
        recovery = recovery == null ? new Recovery(null, null, null, null, 0, null) : recovery;
        if (maxBodyBytes <= 0 || queueSize <= 0 || consumers <= 0) {
            throw new IllegalArgumentException("channel-sync.webhooks: max-body-bytes, queue-size and consumers must be positive");
        }
    }

    /**
     * One channel's block, {@code channel-sync.webhooks.<key>}.
     *
     * @param scheme  the signature scheme: {@code timestamped-hmac}, {@code standard-webhooks}, or any other {@link SignatureVerifier} bean's
     * @param secrets every secret currently valid (several during a rotation)
     */
    public record Channel(String scheme, List<String> secrets) {
        public Channel {
            secrets = secrets == null ? List.of() : secrets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * @param maxRows at most this many deliveries in one INSERT and one commit
     * @param writers threads committing batches (each holds one database connection while it commits)
     */
    public record Commit(@DefaultValue("256") int maxRows, @DefaultValue("2") int writers) {
        public Commit {
            maxRows = maxRows <= 0 ? 256 : maxRows;
            writers = writers <= 0 ? 2 : writers;
        }
    }

    /**
     * @param receivedGrace a {@code received} row older than this was not handed to the queue (full, or the process died)
     * @param queuedLease   a {@code queued} row older than this was lost with its process's memory queue
     * @param intervalMs    how often the sweep runs
     * @param startDelayMs  when the first sweep runs after start-up
     * @param batchSize     rows claimed per sweep
     * @param refillIntervalMs how often the backlog a full queue left ({@code received} rows) is checked and moved on
     */
    public record Recovery(@DefaultValue("10s") Duration receivedGrace, @DefaultValue("5m") Duration queuedLease,
                           @DefaultValue("30000") Long intervalMs, @DefaultValue("1000") Long startDelayMs,
                           @DefaultValue("100") int batchSize, @DefaultValue("200") Long refillIntervalMs) {
        public Recovery {
            receivedGrace = receivedGrace == null ? Duration.ofSeconds(10) : receivedGrace;
            queuedLease = queuedLease == null ? Duration.ofMinutes(5) : queuedLease;
            intervalMs = intervalMs == null ? 30_000L : intervalMs;
            startDelayMs = startDelayMs == null ? 1_000L : startDelayMs;
            batchSize = batchSize <= 0 ? 100 : batchSize;
            refillIntervalMs = refillIntervalMs == null ? 200L : refillIntervalMs;
        }
    }

    /** Exponential redelivery: initialDelayMs, then × backoffMultiplier, at most maxDelayMs, maxRetries times. */
    public record Retry(@DefaultValue("1000") long initialDelayMs, @DefaultValue("2") double backoffMultiplier,
                        @DefaultValue("5") int maxRetries, @DefaultValue("60000") long maxDelayMs) {
    }
}
