package io.channelsync.reconciliation;

import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Lends the service's DataSource to Quartz's JDBC JobStore under the name
 * {@code channel-sync.reconciliation.quartz-scheduler-name}, the {@code org.quartz.jobStore.dataSource} of
 * {@code camel.component.quartz.properties}: the schedule
 * lives in the service's PostgreSQL (tables {@code qrtz_*}, changeset 340) through the same pool,
 * with no second set of credentials. Registered when this bean is created, before Camel starts
 * the Quartz scheduler.
 */
@Component
public class QuartzConnections implements ConnectionProvider {

    private final DataSource dataSource;

    /**
     * Quartz keeps schedulers and connection providers by name for the whole JVM: two services in one JVM (a
     * test) must use different names, or the second replaces the first's connections.
     */
    public QuartzConnections(DataSource dataSource,
                             @Value("${channel-sync.reconciliation.quartz-scheduler-name}") String name) {
        this.dataSource = dataSource;
        DBConnectionManager.getInstance().addConnectionProvider(name, this);
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
