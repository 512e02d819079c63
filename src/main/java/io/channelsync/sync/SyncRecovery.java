package io.channelsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * The recovery sweep (route {@code sync-recovery}): jobs left {@code pending}, {@code running} or
 * {@code retrying} with an {@code updated_at} older than the lease belong to a process that died
 * (SEDA is in memory). They are claimed with {@code FOR UPDATE SKIP LOCKED}, put back to
 * {@code pending} with a fresh {@code updated_at} (a new lease, so neither a concurrent sweep nor the
 * next one takes them again), an attempt left in flight is closed as abandoned, and after the commit
 * each job is enqueued once. A stale message of the dead owner that would still arrive finds the job
 * no longer in the state it expects and is dropped by the compare-and-set.
 */
@Component("syncRecovery")
public class SyncRecovery {

    private static final Logger log = LoggerFactory.getLogger(SyncRecovery.class);
    private final NamedParameterJdbcTemplate sql;
    private final TransactionTemplate tx;
    private final SyncJobs jobs;
    private final SyncProperties properties;

    public SyncRecovery(NamedParameterJdbcTemplate sql, TransactionTemplate tx, SyncJobs jobs, SyncProperties properties) {
        this.sql = sql;
        this.tx = tx;
        this.jobs = jobs;
        this.properties = properties;
    }

    /** @return the jobs taken back and enqueued by this sweep */
    public List<Long> sweep() {
        List<Long> recovered = tx.execute(s -> {
            var params = new MapSqlParameterSource("leaseMs", properties.lease().toMillis())
                    .addValue("batch", properties.recoveryBatch());
            List<Long> ids = sql.queryForList("""
                    with stale as (
                        select id from sync_logs
                        where status in ('pending', 'running', 'retrying')
                          and updated_at < now() - make_interval(secs => :leaseMs / 1000.0)
                        order by updated_at
                        limit :batch
                        for update skip locked
                    )
                    update sync_logs s
                       set status = 'pending', updated_at = now(),
                           last_error = case when s.status = 'pending' then s.last_error
                                             else 'recovered after its lease expired while ' || s.status end
                      from stale
                     where s.id = stale.id
                    returning s.id""", params, Long.class);
            if (!ids.isEmpty()) {
                sql.update("""
                        update sync_attempts set finished_at = now(), outcome = 'transient_failure',
                               error = 'abandoned: the worker''s lease expired'
                        where sync_log_id in (:ids) and outcome is null""", new MapSqlParameterSource("ids", ids));
            }
            return ids;
        });
        if (recovered != null && !recovered.isEmpty()) {
            log.warn("Recovered {} sync job(s) whose lease ({}) expired: {}", recovered.size(), properties.lease(),
                    recovered.size() > 20 ? recovered.subList(0, 20) + "..." : recovered);
            recovered.forEach(id -> {
                try {
                    jobs.enqueue(id);
                } catch (RuntimeException e) {
                    log.warn("Recovered sync job {} not enqueued ({}); a sweep takes it again once its new lease expires", id, e.getMessage());
                }
            });
        }
        return recovered == null ? List.of() : recovered;
    }
}
