package io.channelsync.reconciliation;

import io.channelsync.db.AdvisoryLocks;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * A PostgreSQL session advisory lock per agency, so that two instances (or the schedule and the
 * API) never reconcile the same agency at once. The lock lives on a connection held for the whole
 * run and is released with it; if the process dies, PostgreSQL releases it when the session ends.
 * Key: {@code pg_try_advisory_lock(}{@value #NAMESPACE}{@code , hashtext(agency_id::text))}.
 */
@Component
public class AgencyRunLock {

    /** First half of the two-int advisory key: reconciliation's own namespace. */
    public static final int NAMESPACE = 6006;

    private final AdvisoryLocks locks;

    public AgencyRunLock(AdvisoryLocks locks) {
        this.locks = locks;
    }

    /** The lock if no one else holds it, without waiting; closing it releases it. */
    public Optional<AdvisoryLocks.Held> tryAcquire(UUID agencyId) {
        try {
            return locks.tryAcquire(NAMESPACE, agencyId.toString());
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the reconciliation lock of agency " + agencyId, e);
        }
    }
}
