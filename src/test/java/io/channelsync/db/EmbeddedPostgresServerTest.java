package io.channelsync.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What `make run` relies on: a second start on the same data directory finds the data of the first. */
class EmbeddedPostgresServerTest {

    @TempDir
    Path tmp;

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the server user must reach it
        Path dataDir = tmp.resolve("pg");

        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            first.createDatabaseIfMissing("persist_check");
            try (var c = DriverManager.getConnection(first.jdbcUrl("persist_check"), "postgres", "")) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('from the first run')");
            }
        }

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            second.createDatabaseIfMissing("persist_check");
            try (var c = DriverManager.getConnection(second.jdbcUrl("persist_check"), "postgres", "");
                 var rs = c.createStatement().executeQuery("select v, version() from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from the first run");
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17.");
            }
        }
    }
}
