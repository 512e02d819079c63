package io.channelsync.db;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir        where the cluster lives; it persists, so a second start finds the first's data
 * @param port           0 picks a free port
 * @param database       the database created in it for the service
 * @param wipeOnStart    start from an empty cluster (tests)
 * @param settings       extra postgresql.conf settings, e.g. fsync=off for tests
 * @param startupTimeout how long pg_ctl may take to bring the server up
 */
@ConfigurationProperties("channel-sync.embedded-db")
public record EmbeddedDatabaseProperties(
        @DefaultValue("data/pg") Path dataDir,
        @DefaultValue("54329") int port,
        @DefaultValue("channel_sync") String database,
        @DefaultValue("false") boolean wipeOnStart,
        Map<String, String> settings,
        @DefaultValue("60s") Duration startupTimeout) {

    public EmbeddedDatabaseProperties {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
