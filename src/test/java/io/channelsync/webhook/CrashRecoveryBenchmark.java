package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.channelsync.db.EmbeddedPostgresServer;
import io.channelsync.support.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.channelsync.webhook.Webhooks.AIRBNB_NEW;
import static io.channelsync.webhook.Webhooks.airbnbHeaders;
import static io.channelsync.webhook.Webhooks.airbnbReservation;
import static io.channelsync.webhook.Webhooks.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 4, the goal: after {@code kill -9} and a restart, every acknowledged webhook is
 * processed within 30 s. The real jar ({@code target/channel-sync.jar}, built by {@code make bench})
 * runs as a separate process against a PostgreSQL of this benchmark (a separate data directory and
 * port; a database server outlives the application's crash, as in production). A burst of
 * {@code bench.webhooks} (600) signed Airbnb reservations is sent by 32 clients; the process is killed
 * with SIGKILL once half of them were answered 202, then started again. Printed: the 202s, how many were
 * still unprocessed at the kill, the restart's time to ready, and the time from the restart until every
 * 202'd event is processed. Asserts nothing acknowledged is lost.
 * <p>
 * {@code make bench} or {@code mvn -Pbench test -Dtest=CrashRecoveryBenchmark}
 */
class CrashRecoveryBenchmark {

    private static final String OPERATOR_KEY = "bench-operator-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int webhooks = Integer.getInteger("bench.webhooks", 600);

    @Test
    void everyAcknowledgedWebhookIsProcessedAfterKillDashNineAndARestart() throws Exception {
        Path jar = Path.of("target/channel-sync.jar");
        assertThat(jar).as("build the jar first: make build").exists();
        Path work = Files.createDirectories(Path.of("target/crash-bench"));
        WireMockServer channels = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        channels.start();
        channels.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("<Success/>")));
        EmbeddedPostgresServer db = EmbeddedPostgresServer.start(work.resolve("pg"), 0, true, Map.of(), Duration.ofMinutes(2));
        db.createDatabaseIfMissing("channel_sync");
        int port = freePort();
        Map<String, String> env = Map.of(
                "SERVER_PORT", Integer.toString(port),
                "SPRING_DATASOURCE_URL", db.jdbcUrl("channel_sync"),
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "CHANNEL_SYNC_SECURITY_OPERATOR_KEYS", OPERATOR_KEY,
                "CHANNEL_SYNC_WEBHOOKS_AIRBNB_SECRETS", AIRBNB_NEW,
                "CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL", channels.baseUrl() + "/airbnb",
                "CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL", channels.baseUrl() + "/booking",
                "CHANNEL_SYNC_RECONCILIATION_AUTO_STARTUP", "false");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        Process first = start(jar, env, work.resolve("first-run.log"));
        Process second = null;
        try {
            awaitReady(api, first);
            String listing = setUp(api);

            // the burst; SIGKILL once half of it was acknowledged
            Set<Long> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            String run = UUID.randomUUID().toString().substring(0, 8);
            ExecutorService clients = Executors.newFixedThreadPool(32);
            for (int c = 0; c < 32; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < webhooks; i = next.getAndIncrement()) {
                        LocalDate in = LocalDate.of(2028, 1, 1).plusDays(i % 300);
                        byte[] body = airbnbReservation("crash-" + run + "-" + i, "reservation_acceptance_confirmation",
                                "HMC" + run.toUpperCase() + i, listing, in.toString(), in.plusDays(2).toString(), 2, "accepted");
                        try {
                            HttpResponse<String> r = api.postRaw("/api/v1/webhooks/airbnb", body, airbnbHeaders(AIRBNB_NEW, now(), body));
                            if (r.statusCode() == 202) {
                                accepted.add(JSON.readTree(r.body()).path("id").asLong());
                                if (accepted.size() == webhooks / 2) {
                                    first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop
                                }
                            }
                        } catch (Exception refused) {
                            // the process is gone: a channel would deliver again later; only 202s count
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long unprocessedAtKill = unprocessed(db, accepted);

            long restart = System.nanoTime();
            second = start(jar, env, work.resolve("second-run.log"));
            awaitReady(api, second);
            double ready = (System.nanoTime() - restart) / 1e9;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> unprocessed(db, accepted) == 0);
            double allProcessed = (System.nanoTime() - restart) / 1e9;

            System.out.printf("%nCrashRecoveryBenchmark: %d webhooks sent, %d answered 202 before and around the kill -9; "
                            + "%d of them not yet processed at the kill%n  restart: ready after %.1f s; every 202'd event processed %.1f s "
                            + "after the restart (goal: 30 s), %.1f s after ready; lost: %d; %d cores, load average %.1f%n%n",
                    webhooks, accepted.size(), unprocessedAtKill, ready, allProcessed, allProcessed - ready, unprocessed(db, accepted),
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(statuses(db, accepted)).containsOnlyKeys("processed");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
            db.close();
            channels.stop();
        }
    }

    private static Process start(Path jar, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).directory(new File("."));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitReady(ApiClient api, Process process) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("the service process is running (see target/crash-bench/*.log)").isTrue();
            try {
                return api.get("/actuator/health", null).statusCode() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /** An agency with a property listed on Airbnb and Booking.com, so each reservation also pushes to Booking.com. */
    private static String setUp(ApiClient api) throws Exception {
        JsonNode agency = JSON.readTree(api.post("/api/v1/agencies", OPERATOR_KEY, "{\"name\": \"crash bench\"}").body());
        String key = agency.path("api_key").path("key").asText();
        String property = JSON.readTree(api.post("/api/v1/properties", key, "{\"name\": \"Casa Crash\"}").body()).path("id").asText();
        String listing = Long.toString(10_000_000L + System.nanoTime() % 1_000_000_000L);
        assertThat(api.post("/api/v1/channel-mappings", key, "{\"property_id\": \"%s\", \"platform\": \"airbnb\", \"listing_id\": \"%s\"}"
                .formatted(property, listing)).statusCode()).isEqualTo(201);
        assertThat(api.post("/api/v1/channel-mappings", key, "{\"property_id\": \"%s\", \"platform\": \"booking_com\", \"listing_id\": \"%s\", \"room_id\": \"77\"}"
                .formatted(property, listing)).statusCode()).isEqualTo(201);
        return listing;
    }

    /** The 202'd events not processed (yet): whatever their row says, or no row at all. */
    private static long unprocessed(EmbeddedPostgresServer db, Set<Long> ids) throws Exception {
        return ids.size() - statuses(db, ids).getOrDefault("processed", 0L);
    }

    private static Map<String, Long> statuses(EmbeddedPostgresServer db, Set<Long> ids) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("channel_sync"), "postgres", "");
             PreparedStatement s = c.prepareStatement("select status, count(*) from webhook_log where id = any(?) group by status")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            Map<String, Long> counts = new TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
