package io.channelsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates availability sync jobs: one {@code pending} sync_logs row per enabled, not deleted mapping
 * of a property, then hands each job id to the sync queue. The rows are committed (one INSERT ...
 * SELECT, in the caller's transaction when there is one) before anything is enqueued, so a consumer
 * never sees a job that is not there, and a
 * job whose message is lost with the process is found again by the recovery sweep. Each job carries
 * its retry budget ({@code max_retries}, from {@code channel-sync.retry.max-retries}).
 */
@Component
public class SyncJobs {

    public static final String QUEUE = "seda:sync-jobs";
    private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);

    private final NamedParameterJdbcTemplate sql;
    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final RetryProperties retry;

    public SyncJobs(NamedParameterJdbcTemplate sql, ProducerTemplate camel, ObjectMapper json, RetryProperties retry) {
        this.sql = sql;
        this.camel = camel;
        this.json = json;
        this.retry = retry;
    }

    /**
     * @param platforms       only these platforms; null or empty for all
     * @param excludePlatform skip this platform (the channel a booking came from); null for none
     * @param from            first day to push; null for today
     * @param to              last day to push; null for from + 365 days
     * @return the new job ids
     */
    public List<Long> createForProperty(UUID propertyId, List<String> platforms, String excludePlatform,
                                        LocalDate from, LocalDate to, String reason) {
        LocalDate start = from != null ? from : LocalDate.now();
        LocalDate end = to != null ? to : start.plusDays(365);
        var params = new MapSqlParameterSource()
                .addValue("property", propertyId)
                .addValue("allPlatforms", platforms == null || platforms.isEmpty())
                .addValue("platforms", platforms == null || platforms.isEmpty() ? List.of("-") : platforms)
                .addValue("exclude", excludePlatform == null ? "-" : excludePlatform)
                .addValue("payload", payload(start, end, reason))
                .addValue("maxRetries", retry.maxRetries());
        List<Long> ids = sql.queryForList("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, max_retries)
                select m.agency_id, m.id, 'push_availability', cast(:payload as jsonb), :maxRetries
                from channel_mappings m
                where m.property_id = :property and m.sync_enabled and m.deleted_at is null
                  and (:allPlatforms or m.platform in (:platforms)) and m.platform <> :exclude
                returning id""", params, Long.class);
        enqueueAfterCommit(ids);
        log.debug("Created {} availability sync job(s) {} for property {} ({} to {}, {})", ids.size(), ids, propertyId, start, end, reason);
        return ids;
    }

    /** Puts a committed job on the sync queue without waiting for it (CAMEL-NOTES 3). */
    public void enqueue(long jobId) {
        camel.sendBodyAndHeader(QUEUE, jobId, "syncJobId", jobId);
    }

    /**
     * Inside a caller's transaction the jobs are enqueued only once it has committed (a consumer
     * must never look for a job that is not there yet, nor run one that was rolled back); without
     * one, at once.
     */
    private void enqueueAfterCommit(List<Long> ids) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            ids.forEach(this::enqueueOrLeaveForRecovery);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                ids.forEach(SyncJobs.this::enqueueOrLeaveForRecovery);
            }
        });
    }

    /** A full queue is not a failure: the job is committed as pending and the recovery sweep enqueues it later. */
    private void enqueueOrLeaveForRecovery(long jobId) {
        try {
            enqueue(jobId);
        } catch (RuntimeException e) {
            log.warn("Sync job {} committed but not enqueued ({}); the recovery sweep will pick it up", jobId, e.getMessage());
        }
    }

    private String payload(LocalDate from, LocalDate to, String reason) {
        try {
            return json.writeValueAsString(Map.of("from", from.toString(), "to", to.toString(), "reason", reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
