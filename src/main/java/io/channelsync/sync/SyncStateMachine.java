package io.channelsync.sync;

import io.channelsync.observability.EventCounters;
import io.channelsync.instance.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sync job state machine ({@code sync_logs.status}), enforced by compare-and-set: every
 * transition is ONE conditional {@code UPDATE ... WHERE id = :id AND status = :from}; a claim and the end of
 * an attempt write their {@code sync_attempts} row in the same statement (a data-modifying CTE). Two workers racing for the same job both
 * run the UPDATE; PostgreSQL serialises them on the row lock and the second finds the status
 * changed, so exactly one wins. A transition not in {@link #LEGAL} is refused and logged, never applied.
 * <pre>
 * pending -> running -> succeeded
 * running -> retrying -> running            (each retry; retry_count + 1, new attempt row)
 * running | retrying -> deadlettered        (retries exhausted; written with the dead letter)
 * running -> failed                         (permanent error)
 * retrying -> failed                        (the dead-letter store itself failed)
 * failed | deadlettered -> pending          (requeue only)
 * running -> held                           (the channel is down: its circuit breaker is open; retries kept)
 * held -> pending                           (the channel is back: resumed oldest first, {@link #resumeHeld})
 * </pre>
 * The recovery sweep ({@link SyncRecovery}) is the one other writer: it puts jobs of a dead instance
 * back to {@code pending}.
 * <p>
 * Ownership and fencing: a claim ({@code pending -> running}) makes this instance the job's
 * {@code owner} and increments {@code lease_token}; the {@link Claim} carries that token, and every
 * later transition of the attempt ({@code succeed}, {@code retrying}, {@code fail}, {@code resume})
 * requires it unchanged. A takeover by the sweep increments the token too, so a stale worker whose
 * job was taken over (a process paused past two heartbeats) changes nothing: its UPDATE matches 0 rows,
 * which is logged, not an error.
 */
@Component
public class SyncStateMachine {

    public enum Status { pending, running, retrying, held, succeeded, failed, deadlettered }

    /** States a job stays in until an operator acts; every other state is work still open (backlog gauges, changeset 480). */
    public static final Set<Status> FINAL = EnumSet.of(Status.succeeded, Status.failed, Status.deadlettered);

    /** A job a worker owns for one attempt; {@code token} is the fencing token its updates must match. */
    public record Claim(long jobId, int attemptNumber, int retryCount, int maxRetries, long token) {
    }

    private static final Logger log = LoggerFactory.getLogger(SyncStateMachine.class);
    /**
     * The transition's status condition, written so PostgreSQL cannot match it to the partial index on open statuses
     * ({@code sync_logs_open_idx}) and keeps to the primary key: with stale statistics it would read every open job
     * to find one id (see {@link io.channelsync.webhook.WebhookLog}).
     */
    private static final String STATUS_IS_FROM = "(status = :from) is true";

    static final Set<String> LEGAL = Set.of(
            "pending>running", "running>succeeded", "running>retrying", "retrying>running",
            "running>failed", "retrying>failed", "running>deadlettered", "retrying>deadlettered",
            "failed>pending", "deadlettered>pending", "running>held", "held>pending");

    private final NamedParameterJdbcTemplate sql;
    private final TransactionTemplate tx;
    private final Instances instances;
    private final EventCounters counters;

    public SyncStateMachine(NamedParameterJdbcTemplate sql, TransactionTemplate tx, Instances instances,
                            EventCounters counters) {
        this.counters = counters;
        this.sql = sql;
        this.tx = tx;
        this.instances = instances;
    }

    public static boolean isLegal(Status from, Status to) {
        return LEGAL.contains(from + ">" + to);
    }

    /** An illegal pair is refused and logged, never sent to the database. */
    private static boolean refused(long jobId, Status from, Status to) {
        if (isLegal(from, to)) {
            return false;
        }
        log.warn("Refused illegal transition {} -> {} of sync job {}", from, to, jobId);
        return true;
    }

    /**
     * pending -> running: the first attempt (or the first after a requeue or a takeover), owned by this
     * instance with a new fencing token. Empty when another worker won.
     */
    public Optional<Claim> start(long jobId) {
        return claim(jobId, Status.pending, null, ", started_at = now(), finished_at = null");
    }

    /**
     * retrying -> running: the next retry of the claim that went into backoff; retry_count + 1. Empty
     * when the job is no longer retrying, or no longer under this token (it was taken over).
     */
    public Optional<Claim> resume(long jobId, long token) {
        return claim(jobId, Status.retrying, token, ", retry_count = retry_count + 1");
    }

    /** running -> succeeded, closing the attempt. False when the job is not running under this claim's token. */
    public boolean succeed(Claim claim, Integer httpStatus) {
        return finish(claim, Status.running, Status.succeeded, ", finished_at = now(), last_error = null",
                "succeeded", httpStatus, null, new MapSqlParameterSource());
    }

    /**
     * running -> retrying after a transient failure, closing the attempt with its error; the next
     * attempt is due in {@code delayMs} ({@code next_attempt_at}, which a takeover honours).
     */
    public boolean retrying(Claim claim, Integer httpStatus, String error, long delayMs) {
        boolean retrying = finish(claim, Status.running, Status.retrying,
                ", last_error = :error, next_attempt_at = now() + make_interval(secs => :delayMs / 1000.0)",
                "transient_failure", httpStatus, error, new MapSqlParameterSource("delayMs", delayMs));
        if (retrying) {
            counters.syncRetry();
        }
        return retrying;
    }

    /**
     * running -> held: the job's channel is down (its circuit breaker is open), so the job waits for it
     * without spending a retry. {@code outcome} is {@code held} when the breaker let no call through, or
     * {@code transient_failure} when this attempt's failure found the breaker open.
     */
    public boolean hold(Claim claim, String outcome, Integer httpStatus, String error) {
        return finish(claim, Status.running, Status.held, ", last_error = :error, next_attempt_at = null",
                outcome, httpStatus, error, new MapSqlParameterSource());
    }

    /**
     * held -> pending for at most {@code limit} held jobs of the platform, owned by this instance (which
     * enqueues them next, in the returned order: oldest first). A probe takes the job held longest ago
     * (least recently tried), so a job whose own listing keeps failing is not the probe every time.
     */
    public List<Long> resumeHeld(String platform, int limit, boolean probe) {
        List<Long> ids = sql.queryForList("""
                with held as (
                    select s.id from sync_logs s join channel_mappings m on m.id = s.mapping_id
                    where s.status = 'held' and m.platform = :platform
                    order by case when :probe then s.updated_at end, s.id limit :limit
                    for update of s skip locked
                )
                update sync_logs s set status = 'pending', owner = :me, updated_at = now()
                from held where s.id = held.id
                returning s.id""", new MapSqlParameterSource("platform", platform).addValue("limit", limit)
                .addValue("probe", probe).addValue("me", instances.id()), Long.class);
        return ids.stream().sorted().toList();
    }

    /** running -> failed after a permanent failure, closing the attempt with its error. */
    public boolean fail(Claim claim, Integer httpStatus, String error) {
        return finish(claim, Status.running, Status.failed, ", finished_at = now(), last_error = :error",
                "permanent_failure", httpStatus, error, new MapSqlParameterSource());
    }

    /**
     * failed | deadlettered -> pending, retry_count 0: the requeue, owned by this instance (which
     * enqueues it next). Runs in the caller's transaction if there is one.
     */
    public boolean requeue(long jobId) {
        return tx.execute(s -> transition(jobId, Status.deadlettered, Status.pending, REQUEUE_SET, new MapSqlParameterSource("me", instances.id()))
                || transition(jobId, Status.failed, Status.pending, REQUEUE_SET, new MapSqlParameterSource("me", instances.id())));
    }

    private static final String REQUEUE_SET = ", retry_count = 0, finished_at = null, deadletter_at = null, next_attempt_at = null, owner = :me";

    /**
     * The job could not be dead-lettered (the store failed): it must stay visible, so running or
     * retrying become failed with the reason. A job already failed keeps its state and gets the reason.
     */
    public boolean failBecauseDeadLetterNotStored(long jobId, String reason) {
        MapSqlParameterSource p = new MapSqlParameterSource("error", truncate(reason));
        return tx.execute(s -> transition(jobId, Status.running, Status.failed, ", finished_at = now(), last_error = :error", p)
                || transition(jobId, Status.retrying, Status.failed, ", finished_at = now(), last_error = :error", p)
                || sql.update("update sync_logs set last_error = :error, updated_at = now() where id = :id and status = 'failed'",
                p.addValue("id", jobId)) == 1);
    }

    /**
     * The compare-and-set every transition goes through: refuses an illegal pair, then applies
     * {@code from -> to} only if the row is still in {@code from}. {@code extraSet} is a constant
     * fragment from this class, never input.
     */
    public boolean transition(long jobId, Status from, Status to) {
        return Boolean.TRUE.equals(tx.execute(s -> transition(jobId, from, to, "", null)));
    }

    private boolean transition(long jobId, Status from, Status to, String extraSet, MapSqlParameterSource params) {
        if (refused(jobId, from, to)) {
            return false;
        }
        MapSqlParameterSource p = params == null ? new MapSqlParameterSource() : params;
        p.addValue("id", jobId).addValue("from", from.name()).addValue("to", to.name());
        int updated = sql.update(move(extraSet, false), p);
        if (updated == 0) {
            log.debug("Transition {} -> {} of sync job {} not applied: the job is not {}", from, to, jobId, from);
        }
        return updated == 1;
    }

    /**
     * The compare-and-set of {@code :from -> :to} on job {@code :id}, with {@code extraSet}; {@code fenced}: only under
     * the claim's {@code :token} (a stale worker whose job was taken over changes nothing).
     */
    private static String move(String extraSet, boolean fenced) {
        return "update sync_logs set status = :to, updated_at = now()" + extraSet + onlyIf(fenced);
    }

    /** The condition of every compare-and-set: job {@code :id} still in {@code :from}, and if fenced under {@code :token}. */
    private static String onlyIf(boolean fenced) {
        return " where id = :id and " + STATUS_IS_FROM + (fenced ? " and lease_token = :token" : "");
    }

    /**
     * The claim and its attempt row in ONE statement (a data-modifying CTE, atomic on its own): no transaction of
     * four round trips on every push. The attempt is inserted only when the update took the job.
     */
    private Optional<Claim> claim(long jobId, Status from, Long token, String extraSet) {
        List<Map<String, Object>> rows = sql.queryForList("with claimed as (update sync_logs set status = 'running', updated_at = now(),"
                + " owner = :me, lease_token = lease_token + 1, next_attempt_at = null" + extraSet + onlyIf(token != null)
                + " returning id, retry_count, max_retries, lease_token), " + """
                attempt as (insert into sync_attempts (sync_log_id, attempt_number)
                            select c.id, coalesce((select max(a.attempt_number) from sync_attempts a where a.sync_log_id = c.id), 0) + 1
                              from claimed c
                            returning attempt_number)
                select c.retry_count, c.max_retries, c.lease_token, a.attempt_number from claimed c cross join attempt a""",
                new MapSqlParameterSource("id", jobId).addValue("from", from.name()).addValue("token", token)
                        .addValue("me", instances.id()));
        if (rows.isEmpty()) {
            log.debug("Sync job {} not claimed: it is not {}{} (another worker has it, or it was finished)", jobId, from,
                    token == null ? "" : " under lease token " + token);
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        return Optional.of(new Claim(jobId, ((Number) row.get("attempt_number")).intValue(), ((Number) row.get("retry_count")).intValue(),
                ((Number) row.get("max_retries")).intValue(), ((Number) row.get("lease_token")).longValue()));
    }

    /**
     * The transition under the claim's token and the close of its attempt in ONE statement (as {@link #claim}); the
     * attempt is closed only when the transition applied.
     */
    private boolean finish(Claim claim, Status from, Status to, String extraSet, String outcome,
                           Integer httpStatus, String error, MapSqlParameterSource p) {
        long jobId = claim.jobId();
        if (refused(jobId, from, to)) {
            return false;
        }
        p.addValue("id", jobId).addValue("from", from.name()).addValue("to", to.name()).addValue("token", claim.token())
                .addValue("attempt", claim.attemptNumber()).addValue("outcome", outcome).addValue("status", httpStatus)
                .addValue("error", truncate(error));
        boolean moved = Boolean.TRUE.equals(sql.queryForObject("with moved as (" + move(extraSet, true) + " returning id), " + """
                closed as (update sync_attempts set finished_at = now(), outcome = :outcome, http_status = :status, error = :error
                            where sync_log_id in (select id from moved) and attempt_number = :attempt)
                select exists (select 1 from moved)""", p, Boolean.class));
        if (!moved) {
            log.debug("Transition {} -> {} of sync job {} not applied: the job is not {} under lease token {} (a stale worker: "
                    + "the job was taken over)", from, to, jobId, from, claim.token());
        }
        return moved;
    }

    static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
