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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What `make run` relies on: a second start on the same data directory finds the data of the first; a password, not trust. */
class EmbeddedPostgresServerTest {

    @TempDir
    Path tmp;

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the server user must reach it
        Path dataDir = tmp.resolve("pg");

        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            first.createDatabaseIfMissing("persist_check");
            try (var c = DriverManager.getConnection(first.jdbcUrl("persist_check"), "postgres", first.password())) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('from the first run')");
            }
        }

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            second.createDatabaseIfMissing("persist_check");
            try (var c = DriverManager.getConnection(second.jdbcUrl("persist_check"), "postgres", second.password());
                 var rs = c.createStatement().executeQuery("select v, version() from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from the first run");
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17.");
            }
        }
    }

    @Test
    void theServerListensOnLoopbackOnlyAndNeedsTheGeneratedPasswordKeptInItsDataDirectory() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            Path passwordFile = dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
            assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(passwordFile).trim()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).doesNotContain("trust");

            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "").close())
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "wrong").close())
                    .hasMessageContaining("password authentication failed");
            try (var c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", server.password());
                 var rs = c.createStatement().executeQuery("select current_setting('listen_addresses'), current_setting('password_encryption')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("127.0.0.1");
                assertThat(rs.getString(2)).isEqualTo("scram-sha-256");
            }
        }
    }

    @Test
    void aDataDirectoryCreatedWithTrustAuthMovesToAGeneratedPasswordAndKeepsItsData() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            first.createDatabaseIfMissing("trusted_before");
            try (var c = DriverManager.getConnection(first.jdbcUrl("trusted_before"), "postgres", first.password())) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('from the trust era')");
            }
        }
        // what an earlier version left: trust for everyone, no password file
        Files.writeString(dataDir.resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        Files.delete(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE));

        try (EmbeddedPostgresServer upgraded = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            assertThat(Files.readString(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).trim()).isEqualTo(upgraded.password());
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThatThrownBy(() -> DriverManager.getConnection(upgraded.jdbcUrl("trusted_before"), "postgres", "").close())
                    .hasMessageContaining("password");
            try (var c = DriverManager.getConnection(upgraded.jdbcUrl("trusted_before"), "postgres", upgraded.password());
                 var rs = c.createStatement().executeQuery("select v from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from the trust era");
            }
        }
    }
}
