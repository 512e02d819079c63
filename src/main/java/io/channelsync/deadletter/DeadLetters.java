package io.channelsync.deadletter;

import io.channelsync.api.ApiException;
import io.channelsync.sync.SyncJobs;
import io.channelsync.sync.SyncStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * Requeue and discard of dead letters (table {@code deadletters}: open -> requeued | discarded).
 * A requeue is one transaction: the entry open -> requeued (requeued_at, requeue_count + 1) by
 * compare-and-set, and its source put back:
 * <ul>
 * <li>{@code sync}: the job failed | deadlettered -> pending with retry_count 0, owned by this instance;
 * after the commit it is enqueued on the sync queue, or, if the queue is full, released (no owner) for
 * the next recovery sweep of any instance.</li>
 * <li>{@code webhook}: the webhook_log row back to {@code received} with no owner; the next webhook
 * recovery sweep of any instance enqueues it.</li>
 * </ul>
 * Once committed, a requeue is answered 202 whether or not the queue had room (nothing after the
 * commit can fail the request). An entry that is not {@code open}, or whose source can no longer be
 * put back, is refused with 409 and nothing is enqueued.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private final NamedParameterJdbcTemplate sql;
    private final TransactionTemplate tx;
    private final SyncStateMachine states;
    private final SyncJobs jobs;

    public DeadLetters(NamedParameterJdbcTemplate sql, TransactionTemplate tx, SyncStateMachine states, SyncJobs jobs) {
        this.sql = sql;
        this.tx = tx;
        this.states = states;
        this.jobs = jobs;
    }

    /** Requeues one entry (its visibility already checked). @throws ApiException 409 when it is not open */
    public void requeue(long id) {
        Long jobToEnqueue = tx.execute(s -> {
            List<Map<String, Object>> rows = sql.queryForList("""
                    update deadletters set status = 'requeued', requeued_at = now(), requeue_count = requeue_count + 1
                    where id = :id and status = 'open'
                    returning source, sync_log_id, webhook_log_id""", new MapSqlParameterSource("id", id));
            if (rows.isEmpty()) {
                throw ApiException.conflict("dead letter " + id + " is not open", Map.of("id", id));
            }
            Map<String, Object> row = rows.get(0);
            if ("sync".equals(row.get("source")) && row.get("sync_log_id") != null) {
                long jobId = ((Number) row.get("sync_log_id")).longValue();
                if (!states.requeue(jobId)) {
                    s.setRollbackOnly();
                    throw ApiException.conflict("dead letter " + id + ": sync job " + jobId
                            + " is not failed or deadlettered, so it cannot be requeued", Map.of("id", id));
                }
                return jobId;
            }
            if (row.get("webhook_log_id") != null) {
                int updated = sql.update("""
                        update webhook_log set status = 'received', owner = null, error = null, updated_at = now()
                        where id = :id and status in ('failed', 'received', 'queued')""",
                        new MapSqlParameterSource("id", row.get("webhook_log_id")));
                if (updated == 0) {
                    s.setRollbackOnly();
                    throw ApiException.conflict("dead letter " + id + ": its webhook delivery cannot be processed again", Map.of("id", id));
                }
            }
            return null;
        });
        boolean enqueued = jobToEnqueue != null && jobs.enqueueOrRelease(List.of(jobToEnqueue)) == 1;
        log.info("Dead letter {} requeued{}", id, jobToEnqueue == null ? "; the webhook recovery sweep enqueues its delivery"
                : enqueued ? " (sync job " + jobToEnqueue + " enqueued)" : " (sync job " + jobToEnqueue + " left for the recovery sweep: the queue is full)");
    }

    /** open -> discarded. @throws ApiException 409 when it is not open */
    public void discard(long id) {
        int updated = sql.update("update deadletters set status = 'discarded', discarded_at = now() where id = :id and status = 'open'",
                new MapSqlParameterSource("id", id));
        if (updated == 0) {
            throw ApiException.conflict("dead letter " + id + " is not open", Map.of("id", id));
        }
        log.info("Dead letter {} discarded", id);
    }

    /**
     * The open dead letters of webhook deliveries that are being replayed (issue 14.1) end {@code requeued}, as if
     * requeued here, inside the caller's transaction: the delivery is processed again, so it is no longer dead.
     */
    public void replayedWebhooks(List<Long> webhookLogIds) {
        if (!webhookLogIds.isEmpty()) {
            sql.update("""
                    update deadletters set status = 'requeued', requeued_at = now(), requeue_count = requeue_count + 1
                    where webhook_log_id in (:ids) and status = 'open'""", new MapSqlParameterSource("ids", webhookLogIds));
        }
    }
}
