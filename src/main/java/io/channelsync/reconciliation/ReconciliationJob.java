package io.channelsync.reconciliation;

import io.channelsync.db.AdvisoryLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is reconciled and when it may start. Used by the scheduled route (routes/reconciliation.camel.yaml)
 * and by the API. Each agency runs under its {@link AgencyRunLock}, so a run already going on (on this
 * or another instance) is never started twice.
 */
@Component("reconciliationJob")
public class ReconciliationJob {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationJob.class);

    private final JdbcTemplate jdbc;
    private final AgencyRunLock locks;
    private final Reconciler reconciler;

    public ReconciliationJob(JdbcTemplate jdbc, AgencyRunLock locks, Reconciler reconciler) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.reconciler = reconciler;
    }

    /** Agencies with at least one enabled mapping: the ones a scheduled run covers. Only ids are loaded. */
    public List<UUID> agenciesToReconcile() {
        return jdbc.queryForList("""
                select a.id from agencies a
                where exists (select 1 from channel_mappings m where m.agency_id = a.id and m.sync_enabled and m.deleted_at is null)
                order by a.id""", UUID.class);
    }

    /**
     * The scheduled run of one agency (called once per agency by the route). Never throws: one
     * agency's failure must not stop the others.
     */
    public void runScheduled(UUID agencyId) {
        try {
            if (runNow(agencyId, "schedule").isEmpty()) {
                log.info("Reconciliation of agency {} skipped: a run of it is already going on", agencyId);
            }
        } catch (RuntimeException e) {
            log.error("Scheduled reconciliation of agency {} failed", agencyId, e);
        }
    }

    /** Runs now under the agency's lock; empty when a run of that agency is already going on. */
    public Optional<Long> runNow(UUID agencyId, String trigger) {
        Optional<AdvisoryLocks.Held> lock = locks.tryAcquire(agencyId);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (AdvisoryLocks.Held held = lock.get()) {
            return Optional.of(reconciler.reconcile(agencyId, trigger));
        }
    }
}
