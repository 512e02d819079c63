package io.channelsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.camel.ResolvedEndpoint;
import io.channelsync.instance.Instances;
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
 * its retry budget ({@code max_retries}, from {@code channel-sync.retry.max-retries}) and this instance as
 * its {@code owner} (it goes onto this instance's queue, so no other instance's sweep takes it); a job
 * the full queue refuses is released (no owner) and the next recovery sweep of any instance takes it.
 */
@Component
public class SyncJobs {

    /** A range with no end pushes this many days after its start. */
    static final int DEFAULT_DAYS_AHEAD = 365;

    /** The sync queue (route availability-sync): SEDA by default, RabbitMQ in the cluster profile. */
    public static final String QUEUE = "{{channel-sync.queues.sync-jobs}}";
    private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);

    private final NamedParameterJdbcTemplate sql;
    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final RetryProperties retry;
    private final Instances instances;
    private final ResolvedEndpoint queue;

    public SyncJobs(NamedParameterJdbcTemplate sql, ProducerTemplate camel, ObjectMapper json, RetryProperties retry,
                    Instances instances) {
        this.sql = sql;
        this.camel = camel;
        this.json = json;
        this.retry = retry;
        this.instances = instances;
        this.queue = new ResolvedEndpoint(camel.getCamelContext(), QUEUE);
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
        return createForProperty(propertyId, platforms, excludePlatform, from, to, false, reason);
    }

    /**
     * @param full push every night of the window, not only those changed since the last push (a new
     *             mapping, after an outage)
     */
    public List<Long> createForProperty(UUID propertyId, List<String> platforms, String excludePlatform,
                                        LocalDate from, LocalDate to, boolean full, String reason) {
        LocalDate start = from != null ? from : LocalDate.now();
        LocalDate end = to != null ? to : start.plusDays(DEFAULT_DAYS_AHEAD);
        var params = new MapSqlParameterSource()
                .addValue("property", propertyId)
                .addValue("allPlatforms", platforms == null || platforms.isEmpty())
                .addValue("platforms", platforms == null || platforms.isEmpty() ? List.of("-") : platforms)
                .addValue("exclude", excludePlatform == null ? "-" : excludePlatform)
                .addValue("payload", payload(start, end, full, reason))
                .addValue("maxRetries", retry.maxRetries())
                .addValue("owner", instances.id());
        List<Long> ids = sql.queryForList("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, max_retries, owner)
                select m.agency_id, m.id, 'push_availability', cast(:payload as jsonb), :maxRetries, :owner
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
        camel.sendBodyAndHeader(queue.get(), Long.toString(jobId), "syncJobId", jobId); // text: any transport carries it
    }

    /**
     * Inside a caller's transaction the jobs are enqueued only once it has committed (a consumer
     * must never look for a job that is not there yet, nor run one that was rolled back); without
     * one, at once.
     */
    private void enqueueAfterCommit(List<Long> ids) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            enqueueOrRelease(ids);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                enqueueOrRelease(ids);
            }
        });
    }

    /**
     * Enqueues committed pending jobs this instance owns, in order. A full queue is not a failure: the
     * job it refused and those after it are released (pending, no owner), and the next recovery sweep
     * of any instance takes them. Never throws.
     *
     * @return how many were enqueued
     */
    public int enqueueOrRelease(List<Long> ids) {
        for (int i = 0; i < ids.size(); i++) {
            try {
                enqueue(ids.get(i));
            } catch (RuntimeException e) {
                List<Long> rest = ids.subList(i, ids.size());
                try {
                    sql.update("update sync_logs set owner = null, updated_at = now() where id in (:ids) and status = 'pending' and owner = :me",
                            new MapSqlParameterSource("ids", rest).addValue("me", instances.id()));
                    log.warn("Sync job(s) {} committed but not enqueued ({}); released for the next recovery sweep", rest, e.getMessage());
                } catch (RuntimeException releaseFailed) {
                    log.warn("Sync job(s) {} committed but not enqueued ({}) nor released ({}); "
                            + "they are taken back once this instance stops", rest, e.getMessage(), releaseFailed.getMessage());
                }
                return i;
            }
        }
        return ids.size();
    }

    private String payload(LocalDate from, LocalDate to, boolean full, String reason) {
        try {
            return json.writeValueAsString(Map.of("from", from.toString(), "to", to.toString(), "full", full, "reason", reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
