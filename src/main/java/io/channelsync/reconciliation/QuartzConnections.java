package io.channelsync.reconciliation;

import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Lends the service's DataSource to Quartz's JDBC JobStore under the name {@value #NAME}, the
 * {@code org.quartz.jobStore.dataSource} of {@code camel.component.quartz.properties}: the schedule
 * lives in the service's PostgreSQL (tables {@code qrtz_*}, changeset 340) through the same pool,
 * with no second set of credentials. Registered when this bean is created, before Camel starts
 * the Quartz scheduler.
 */
@Component
public class QuartzConnections implements ConnectionProvider {

    public static final String NAME = "channel-sync";

    private final DataSource dataSource;

    public QuartzConnections(DataSource dataSource) {
        this.dataSource = dataSource;
        DBConnectionManager.getInstance().addConnectionProvider(NAME, this);
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
