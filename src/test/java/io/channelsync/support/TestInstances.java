package io.channelsync.support;

import com.zaxxer.hikari.HikariDataSource;
import io.channelsync.ChannelSyncApplication;
import io.channelsync.instance.Instances;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Several instances of the service as Spring contexts in this JVM, on one database (issue 15 tests): the first
 * starts on the database of DATABASE_URL or its own embedded one, the others on the first one's.
 */
public final class TestInstances {

    private TestInstances() {
    }

    /** The database settings of DATABASE_URL, if set (else none: the instance starts the embedded server). */
    public static Map<String, Object> database() {
        Map<String, Object> database = new HashMap<>();
        TestDatabase.fromEnvironment().ifPresent(db -> {
            database.put("spring.datasource.url", db.jdbcUrl());
            database.put("spring.datasource.username", db.username());
            database.put("spring.datasource.password", db.password());
        });
        return database;
    }

    /** The database settings of a running instance, for another one to share its database. */
    public static Map<String, Object> databaseOf(ConfigurableApplicationContext instance) {
        HikariDataSource shared = instance.getBean(HikariDataSource.class);
        return Map.of("spring.datasource.url", shared.getJdbcUrl(),
                "spring.datasource.username", shared.getUsername() == null ? "" : shared.getUsername(),
                "spring.datasource.password", shared.getPassword() == null ? "" : shared.getPassword());
    }

    /**
     * One instance with the test settings, these properties and profiles. {@code embeddedDataDir}: the embedded
     * server's directory (the shared test context of this JVM has target/embedded-pg).
     */
    public static ConfigurableApplicationContext start(String embeddedDataDir, Map<String, Object> settings, String... profiles) {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("spring.config.additional-location", "classpath:/application-test.yaml");
        properties.put("server.port", "0");
        properties.put("channel-sync.embedded-db.data-dir", embeddedDataDir);
        // several contexts in one JVM: Spring's MBeans (RabbitAdmin, ...) get unique names (Camel renames its own), and
        // so does Quartz's scheduler, which Quartz keeps by name for the whole JVM with its connections: a shared one
        // would tie these instances and this JVM's other test context together (a fires-once test needs processes)
        properties.put("spring.jmx.unique-names", "true");
        properties.putIfAbsent("channel-sync.reconciliation.quartz-scheduler-name", "test-instance-" + UUID.randomUUID());
        // as arguments: they outrank application.yaml and the test file (builder properties would be defaults only)
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(ChannelSyncApplication.class).profiles(profiles).run(arguments);
    }

    /**
     * Undoes what a later start did to an earlier instance of this JVM: it took it (same host, same pid) for an
     * earlier run of a restarted container and marked it stopped. In two processes that cannot happen.
     */
    public static void live(JdbcTemplate jdbc, ConfigurableApplicationContext instance) {
        jdbc.update("update instances set stopped_at = null where id = ?", instance.getBean(Instances.class).id());
    }
}
