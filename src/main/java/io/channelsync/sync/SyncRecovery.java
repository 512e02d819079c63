package io.channelsync.sync;

import io.channelsync.instance.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * The recovery sweep (route {@code sync-recovery}, at start-up and every
 * {@code channel-sync.sync.recovery-interval}): takes over the jobs no live instance holds
 * (SEDA and Camel's redelivery wait are in memory, so a dead instance's jobs died with it):
 * <ul>
 * <li>jobs whose owner is dead (two missed heartbeats, or stopped): at once, except a job in backoff,
 * which is taken when its {@code next_attempt_at} is due, so it waits out only the rest of its delay;</li>
 * <li>{@code pending} jobs with no owner (not enqueued: the queue was full): at once;</li>
 * <li>{@code running}/{@code retrying} jobs with no owner older than {@code channel-sync.sync.lease}:
 * rows of a version that did not record owners (the fallback for a rolling upgrade);</li>
 * <li>this instance's own {@code running}/{@code retrying} jobs untouched for a whole lease: no attempt or
 * backoff lasts that long, so its exchange was lost (a safety net, not the crash path).</li>
 * </ul>
 * A live instance's jobs are never taken. Taken jobs are claimed with {@code FOR UPDATE SKIP LOCKED},
 * put back to {@code pending} owned by this instance with a new fencing token ({@code lease_token} + 1,
 * so the dead owner's worker, should it wake up, changes nothing), a retrying job with the retry it was
 * waiting for counted, an attempt left in flight closed as abandoned; after the commit each job is
 * enqueued once. Jobs that do not fit in the queue are released (no owner) for the next sweep.
 */
@Component("syncRecovery")
public class SyncRecovery {

    private static final Logger log = LoggerFactory.getLogger(SyncRecovery.class);
    private final NamedParameterJdbcTemplate sql;
    private final TransactionTemplate tx;
    private final SyncJobs jobs;
    private final SyncProperties properties;
    private final Instances instances;

    public SyncRecovery(NamedParameterJdbcTemplate sql, TransactionTemplate tx, SyncJobs jobs, SyncProperties properties,
                        Instances instances) {
        this.sql = sql;
        this.tx = tx;
        this.jobs = jobs;
        this.properties = properties;
        this.instances = instances;
    }

    /** @return the jobs taken back by this sweep */
    public List<Long> sweep() {
        List<Long> recovered = tx.execute(s -> {
            var params = instances.liveParameters()
                    .addValue("leaseMs", properties.lease().toMillis())
                    .addValue("batch", properties.recoveryBatch());
            List<Long> ids = sql.queryForList("""
                    with stale as (
                        select id from sync_logs
                        where status in ('pending', 'running', 'retrying')
                          and (not %s
                               and (owner is not null or status = 'pending'
                                    or updated_at < now() - make_interval(secs => :leaseMs / 1000.0))
                               and (status <> 'retrying' or next_attempt_at is null or next_attempt_at <= now())
                               -- this instance's own job untouched for a whole lease is in no memory of it any more
                               -- (an attempt is bounded by the request timeout, a backoff by half the lease)
                               or owner = :me and status <> 'pending'
                                  and updated_at < now() - make_interval(secs => :leaseMs / 1000.0))
                        order by id
                        limit :batch
                        for update skip locked
                    )
                    update sync_logs s
                       set status = 'pending', owner = :me, lease_token = s.lease_token + 1, next_attempt_at = null,
                           updated_at = now(),
                           retry_count = case when s.status = 'retrying' then s.retry_count + 1 else s.retry_count end,
                           last_error = case when s.status = 'pending' then s.last_error
                                             else 'taken over from ' || coalesce(cast(s.owner as text), 'an unrecorded owner')
                                                  || ' (dead) while ' || s.status
                                                  || coalesce(': ' || s.last_error, '') end
                      from stale
                     where s.id = stale.id
                    returning s.id""".formatted(Instances.LIVE), params, Long.class);
            if (!ids.isEmpty()) {
                sql.update("""
                        update sync_attempts set finished_at = now(), outcome = 'transient_failure',
                               error = 'abandoned: its instance died'
                        where sync_log_id in (:ids) and outcome is null""", new MapSqlParameterSource("ids", ids));
            }
            return ids;
        });
        if (recovered == null || recovered.isEmpty()) {
            return List.of();
        }
        log.warn("Took over {} sync job(s) no live instance holds: {}", recovered.size(),
                recovered.size() > 20 ? recovered.subList(0, 20) + "..." : recovered);
        jobs.enqueueOrRelease(recovered);
        return recovered;
    }
}
