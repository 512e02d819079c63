package io.channelsync.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What `make run` relies on: a second start on the same data directory finds the data of the first; a password, not trust;
 * and a restart after the service's JVM was killed with SIGKILL (its server left running) comes back by itself.
 */
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

    @Test
    void aServerLeftRunningByAJvmKilledWithSigkillIsStoppedAndStartedAgainWithItsData() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        Process crashed = serviceJvm(dataDir);
        long orphan = awaitReady(crashed);
        crashed.destroyForcibly(); // SIGKILL: no shutdown hook, the postmaster lives on
        assertThat(crashed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned postmaster").contains(true);

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60))) {
            try (var c = DriverManager.getConnection(restarted.jdbcUrl("orphan_check"), "postgres", restarted.password());
                 var rs = c.createStatement().executeQuery("select v from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from the killed run");
            }
            assertThat(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim()).as("a new postmaster").isNotEqualTo(Long.toString(orphan));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runningProcess(orphan)).as("the orphan's postmaster runs").isFalse());
            assertThat(Files.readString(dataDir.resolve(EmbeddedPostgresServer.OWNER_FILE)))
                    .startsWith(ProcessHandle.current().pid() + " ");
        }
        assertThat(dataDir.resolve(EmbeddedPostgresServer.OWNER_FILE)).as("removed on a clean stop").doesNotExist();
    }

    @Test
    void aServerWhoseJvmIsStillAliveIsNeverTakenOver() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        Process other = serviceJvm(dataDir);
        try {
            long postmaster = awaitReady(other);

            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60)))
                    .hasMessageContaining("is in use by a running server (pid " + postmaster + ")");
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("the other run's postmaster").contains(true);
            assertThat(Files.readString(dataDir.resolve("postmaster.pid"))).startsWith(postmaster + "\n");
        } finally {
            other.destroy(); // SIGTERM: its shutdown hook stops its server
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Whether pid is a running process: not gone, and not a zombie (exited, waiting for whoever adopted it to collect it). */
    private static boolean runningProcess(long pid) throws Exception {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        return Files.exists(status) && Files.readAllLines(status).stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
    }

    /** A second JVM that starts the server on dataDir the way the service does, writes a row, and runs until it is killed. */
    private static Process serviceJvm(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServiceJvm.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
    }

    /** Waits (bounded) for the other JVM's "ready" line; returns the pid of its postmaster. */
    private static long awaitReady(Process jvm) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()));
        CompletableFuture<Long> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        return Long.parseLong(line.substring(6).trim());
                    }
                }
                throw new IllegalStateException("the other JVM ended before its server was ready");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long pid = ready.get(120, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> out.lines().forEach(line -> { })); // keep draining, so it never blocks on a full pipe
        return pid;
    }

    /** The other JVM (run by {@link #serviceJvm}): owns a server as the service does, until it is killed. */
    public static final class ServiceJvm {
        public static void main(String[] args) throws Exception {
            Path dataDir = Path.of(args[0]);
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, false, Map.of(), Duration.ofSeconds(60));
            server.createDatabaseIfMissing("orphan_check");
            try (var c = DriverManager.getConnection(server.jdbcUrl("orphan_check"), "postgres", server.password())) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('from the killed run')");
            }
            String postmaster = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            System.out.println("READY " + postmaster);
            System.out.flush();
            Thread.currentThread().join(); // until killed
        }
    }
}
