package io.channelsync.reconciliation;

import jakarta.annotation.PreDestroy;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Lends the service's DataSource to Quartz's JDBC JobStore under the name {@value #NAME}, the
 * {@code org.quartz.jobStore.dataSource} of {@code camel.component.quartz.properties}: the schedule
 * lives in the service's PostgreSQL (tables {@code qrtz_*}, changeset 340) through the same pool,
 * with no second set of credentials. Registered when this bean is created, before Camel starts
 * the Quartz scheduler.
 * <p>
 * Quartz keeps providers in a JVM-wide singleton: where several application contexts share a JVM (the
 * cluster tests), the newest live one's is registered, and a context that closes hands the name back to
 * the newest one still live instead of leaving a closed pool behind.
 */
@Component
public class QuartzConnections implements ConnectionProvider {

    public static final String NAME = "channel-sync";

    private static final Deque<QuartzConnections> LIVE = new ConcurrentLinkedDeque<>();

    private final DataSource dataSource;

    public QuartzConnections(DataSource dataSource) {
        this.dataSource = dataSource;
        LIVE.push(this);
        DBConnectionManager.getInstance().addConnectionProvider(NAME, this);
    }

    @PreDestroy
    void close() {
        LIVE.remove(this);
        QuartzConnections newest = LIVE.peek();
        if (newest != null) {
            DBConnectionManager.getInstance().addConnectionProvider(NAME, newest);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to Spring, which closes it
    }

    @Override
    public void initialize() {
        // nothing: the pool is ready when Spring hands it over
    }
}
