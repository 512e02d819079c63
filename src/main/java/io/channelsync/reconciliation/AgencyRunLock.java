package io.channelsync.reconciliation;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    private final DataSource dataSource;

    public AgencyRunLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing it releases the lock and the connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The lock if no one else holds it, without waiting. */
    public Optional<Held> tryAcquire(UUID agencyId) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
                lock.setInt(1, NAMESPACE);
                lock.setString(2, agencyId.toString());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.close();
                        return Optional.empty();
                    }
                }
            }
            Connection held = connection;
            return Optional.of(() -> release(held, agencyId));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("could not take the reconciliation lock of agency " + agencyId, e);
        }
    }

    private void release(Connection connection, UUID agencyId) {
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            unlock.setInt(1, NAMESPACE);
            unlock.setString(2, agencyId.toString());
            unlock.execute();
            closeQuietly(connection);
        } catch (SQLException e) {
            // never hand a session that may still hold the lock back to the pool
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(connection);
            } else {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a pooled connection: nothing to recover
            }
        }
    }
}
