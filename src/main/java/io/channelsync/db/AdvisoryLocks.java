package io.channelsync.db;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * PostgreSQL session advisory locks ({@code pg_try_advisory_lock(namespace, key)}): "one at a time
 * across instances" without a table. The lock lives on a connection held in auto-commit for as long
 * as it is held (no transaction stays open), and is released with it; if the process dies, PostgreSQL
 * releases it when the session ends. Each user owns a namespace (the first int of the key).
 */
@Component
public class AdvisoryLocks {

    private final DataSource dataSource;

    public AdvisoryLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing it releases the lock and the connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The lock {@code (namespace, key)} if no one else holds it, without waiting. */
    public Optional<Held> tryAcquire(int namespace, int key) throws SQLException {
        return tryAcquire("?", namespace, statement -> statement.setInt(2, key));
    }

    /** The lock {@code (namespace, hashtext(key))} if no one else holds it, without waiting. */
    public Optional<Held> tryAcquire(int namespace, String key) throws SQLException {
        return tryAcquire("hashtext(?)", namespace, statement -> statement.setString(2, key));
    }

    private interface KeyBinder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<Held> tryAcquire(String keyExpression, int namespace, KeyBinder key) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, " + keyExpression + ")")) {
                lock.setInt(1, namespace);
                key.bind(lock);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.close();
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(() -> release(connection, "select pg_advisory_unlock(?, " + keyExpression + ")", namespace, key));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private void release(Connection connection, String sql, int namespace, KeyBinder key) {
        try (PreparedStatement unlock = connection.prepareStatement(sql)) {
            unlock.setInt(1, namespace);
            key.bind(unlock);
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
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is gone either way
        }
    }
}
