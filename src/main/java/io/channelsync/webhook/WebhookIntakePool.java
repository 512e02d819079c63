package io.channelsync.webhook;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * The webhook intake's own small connection pool, to the same database as the main one, whose
 * connection timeout is {@code channel-sync.webhooks.db-timeout} ({@code CHANNEL_SYNC_WEBHOOKS_DB_TIMEOUT}).
 * <p>
 * Why a pool of its own rather than the main pool's {@code connection-timeout}: the intake answers a
 * channel that waits on the line, and must say 503 within the configured time when the database
 * refuses connections (the main pool's default wait is 30 s). Shortening the main pool's wait would
 * also cut short sync workers and reconciliation, which may rightly wait; and sharing the main pool
 * would let busy workers hold every connection and make webhooks wait for them. Not a Spring
 * {@code DataSource} bean, so Boot's DataSource auto-configuration and everything injected with
 * "the" DataSource still see only the main pool.
 */
@Component
public class WebhookIntakePool implements DisposableBean {

    /** The {@code application_name} of its sessions, as {@code pg_stat_activity} shows them. */
    public static final String APPLICATION_NAME = "channel-sync-webhook-intake";
    private static final Logger log = LoggerFactory.getLogger(WebhookIntakePool.class);

    private final DataSource dataSource;

    public WebhookIntakePool(DataSource main, WebhookProperties properties) {
        if (main instanceof HikariDataSource hikari) {
            long timeout = Math.max(250, properties.dbTimeout().toMillis());
            HikariConfig config = new HikariConfig();
            config.setPoolName("webhook-intake");
            config.setJdbcUrl(hikari.getJdbcUrl());
            config.setUsername(hikari.getUsername());
            config.setPassword(hikari.getPassword());
            if (hikari.getDriverClassName() != null) {
                config.setDriverClassName(hikari.getDriverClassName());
            }
            hikari.getDataSourceProperties().forEach((name, value) -> config.addDataSourceProperty(name.toString(), value));
            config.setMaximumPoolSize(properties.dbPoolSize());
            config.setMinimumIdle(Math.min(2, properties.dbPoolSize()));
            config.setConnectionTimeout(timeout);
            config.setValidationTimeout(Math.max(250, Math.min(timeout - 1, 5000)));
            config.setInitializationFailTimeout(-1); // start without the database: the main pool decides that
            config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
            // a connection attempt the server never answers must not outlive the intake's patience either
            config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, properties.dbTimeout().toSeconds())));
            this.dataSource = new HikariDataSource(config);
        } else {
            log.warn("The DataSource is not a Hikari pool ({}): the webhook intake shares it, and its connection wait is the pool's",
                    main.getClass().getName());
            this.dataSource = main;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void destroy() {
        if (dataSource instanceof HikariDataSource own && own.getPoolName().equals("webhook-intake")) {
            own.close();
        }
    }
}
