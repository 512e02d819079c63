package io.channelsync.webhook;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import io.channelsync.ChannelSyncApplication;
import io.channelsync.support.ApiClient;
import io.channelsync.support.TestData;
import io.channelsync.support.TestInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.channelsync.webhook.Webhooks.AIRBNB_NEW;
import static io.channelsync.webhook.Webhooks.AIRBNB_PATH;
import static io.channelsync.webhook.Webhooks.airbnbHeaders;
import static io.channelsync.webhook.Webhooks.airbnbReservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: two instances (two Spring contexts in this JVM, profile {@code cluster}), one PostgreSQL, one
 * RabbitMQ. Needs a broker at SPRING_RABBITMQ_HOST:PORT (default 127.0.0.1:5672; {@code .ci/run} starts one);
 * without one the tests are skipped with the reason printed. Each run uses its own queues (a unique
 * {@code channel-sync.queues.prefix}), deleted at the end.
 */
class TwoInstanceClusterTest {

    private static final String HOST = System.getenv().getOrDefault("SPRING_RABBITMQ_HOST", "127.0.0.1");
    private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("SPRING_RABBITMQ_PORT", "5672"));
    private static final String PREFIX = "channel-sync-test-" + UUID.randomUUID().toString().substring(0, 8);

    private static WireMockServer channels;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startTwoInstances() {
        boolean broker = reachable();
        if (!broker) {
            System.out.println("TwoInstanceClusterTest SKIPPED: no RabbitMQ at " + HOST + ":" + PORT + " (run .ci/run, or start rabbitmq-server)");
        }
        Assumptions.assumeTrue(broker, "no RabbitMQ at " + HOST + ":" + PORT);
        channels = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        channels.start();
        channels.stubFor(post(urlPathMatching("/booking/token-based-authentication/exchange"))
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}")));
        channels.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody("<OTA_HotelAvailNotifRS Version=\"1.0\"><Success/></OTA_HotelAvailNotifRS>")));
        first = start(TestInstances.database());
        second = start(TestInstances.databaseOf(first));
        jdbc = new JdbcTemplate(first.getBean(DataSource.class));
        TestInstances.live(jdbc, first);
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("channel-sync.queues.prefix", PREFIX);
        properties.put("channel-sync.channels.airbnb.base-url", channels.baseUrl() + "/airbnb");
        properties.put("channel-sync.channels.booking-com.base-url", channels.baseUrl() + "/booking");
        // its own embedded server (the shared test context of this JVM has target/embedded-pg)
        return TestInstances.start("target/embedded-pg-cluster", properties, "test", "cluster");
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {second, first}) {
            if (context != null) {
                if (context == first) {
                    AmqpAdmin admin = context.getBean(AmqpAdmin.class);
                    for (String queue : List.of("webhook-events", "sync-jobs", "deliveries")) {
                        admin.deleteQueue(PREFIX + "." + queue);
                        admin.deleteExchange(PREFIX + "." + queue);
                    }
                }
                context.close();
            }
        }
        if (channels != null) {
            channels.stop();
        }
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ApiClient api(ConfigurableApplicationContext context) {
        return new ApiClient("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static UUID instanceId(ConfigurableApplicationContext context) {
        return context.getBean(io.channelsync.instance.Instances.class).id();
    }

    @Test
    void aThousandWebhooksOverBothInstancesAreEachAppliedExactlyOnce() throws Exception {
        TestData data = first.getBean(TestData.class);
        TestData.Agency agency = data.agency();
        // ten properties, each on Airbnb (the webhooks) and Booking.com (their sync jobs): bookings of one
        // property serialise on its availability, the ten do not
        List<String> listings = new ArrayList<>();
        List<UUID> bookingMappings = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            UUID property = data.property(agency.id());
            listings.add(TestData.uniqueListingId());
            data.airbnbMapping(agency.id(), property, listings.get(p));
            bookingMappings.add(data.bookingComMapping(agency.id(), property, TestData.uniqueListingId(), "71"));
        }
        Object[] mappings = {bookingMappings.toArray(new UUID[0])};
        String codes = "CL" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        List<ApiClient> apis = List.of(api(first), api(second));
        int webhooks = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < webhooks; i++) {
                ApiClient api = apis.get(i % 2);
                String code = codes + i;
                String listing = listings.get(i % listings.size());
                answers.add(pool.submit(() -> {
                    byte[] body = airbnbReservation("evt-" + code, "reservation_acceptance_confirmation", code, listing,
                            "2027-06-01", "2027-06-03", 2, "accept");
                    return api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, Webhooks.now(), body)).statusCode();
                }));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
        // bounded for a loaded 2-core machine; an idle one takes a fraction of it
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("select count(*) from webhook_log where platform = 'airbnb' and event_id like ? "
                        + "and status = 'processed'", Long.class, "evt-" + codes + "%")).isEqualTo(webhooks));
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code like ?", Long.class, codes + "%"))
                .isEqualTo(webhooks);
        // one availability job per booking for the property's other channel: none twice
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("select count(*) from sync_logs where mapping_id = any(?)", Long.class, mappings))
                        .isEqualTo(webhooks));
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where event_id like ? and status not in ('processed')",
                Long.class, "evt-" + codes + "%")).isZero();
        // both instances worked: each claimed sync jobs from the shared queue (a claim makes the claimer the owner)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(jdbc.queryForList("select distinct owner from sync_logs where mapping_id = any(?) and status <> 'pending'",
                        UUID.class, mappings)).contains(instanceId(first), instanceId(second)));
    }

    /**
     * A third instance in its own process (kill -9 needs one): it takes part of a burst, is killed with SIGKILL
     * mid-burst, and the two instances left finish every event it answered 202 within 30 s: its unacknowledged
     * messages come back from the broker, the rows it never published are taken by the recovery sweeps once it
     * missed two heartbeats.
     */
    @Test
    void afterKillDashNineOfOneInstanceTheOthersFinishItsAcknowledgedWorkWithin30Seconds() throws Exception {
        TestData data = first.getBean(TestData.class);
        TestData.Agency agency = data.agency();
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), data.property(agency.id()), listing);
        int port = freePort();
        java.nio.file.Path log = java.nio.file.Path.of("target", "cluster-killed-instance.log");
        Process killed = startProcess(port, log);
        try {
            ApiClient api = new ApiClient("http://127.0.0.1:" + port);
            awaitHealthy(killed, port, log);
            String codes = "KL" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
            List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String code = codes + i;
                    sent.add(pool.submit(() -> {
                        byte[] body = airbnbReservation("evt-" + code, "reservation_acceptance_confirmation", code, listing,
                                "2027-07-01", "2027-07-03", 2, "accept");
                        try {
                            if (api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, Webhooks.now(), body)).statusCode() == 202) {
                                accepted.add("evt-" + code);
                            }
                        } catch (RuntimeException killedMeanwhile) {
                            // no answer: not acknowledged, the channel would deliver it again
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 100);
                killed.destroyForcibly(); // SIGKILL
                killed.waitFor();
                for (Future<?> f : sent) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            List<String> acknowledged = List.copyOf(accepted);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(100);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(jdbc.queryForObject("select count(*) from webhook_log where status = 'processed' and event_id = any(?)",
                            Long.class, (Object) acknowledged.toArray(new String[0]))).isEqualTo(acknowledged.size()));
            assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = any(?)", Long.class,
                    (Object) acknowledged.stream().map(e -> e.substring("evt-".length())).toArray(String[]::new)))
                    .isEqualTo(acknowledged.size());
        } finally {
            killed.destroyForcibly();
        }
    }

    @Test
    void theReconciliationScheduleFiresOnOneInstancePerTrigger() throws Exception {
        // two processes: Quartz clusters schedulers of one name, and keeps one scheduler per name in a JVM
        int portA = freePort();
        int portB = freePort();
        java.nio.file.Path logA = java.nio.file.Path.of("target", "cluster-quartz-a.log");
        java.nio.file.Path logB = java.nio.file.Path.of("target", "cluster-quartz-b.log");
        // one scheduler name for both (Quartz clusters by it), new each run: a stopped route leaves its trigger paused
        String[] schedule = {"--channel-sync.reconciliation.auto-startup=true", "--channel-sync.reconciliation.cron=0/1 * * * * ?",
                "--channel-sync.reconciliation.quartz-scheduler-name=schedule-test-" + UUID.randomUUID()};
        // what is asserted is when the schedule fires, not what a run does: the other tests' agencies (one with 1,000
        // overlapping bookings) would make each run, and so each fire of this stateful job, take tens of seconds
        List<UUID> paused = jdbc.queryForList("update channel_mappings set sync_enabled = false where sync_enabled returning id", UUID.class);
        Process a = startProcess(portA, logA, schedule);
        Process b = startProcess(portB, logB, schedule);
        try {
            awaitHealthy(a, portA, logA);
            awaitHealthy(b, portB, logB);
            int before = fireTimes(logA).size() + fireTimes(logB).size();
            await().atMost(Duration.ofSeconds(60)).until(() -> fireTimes(logA).size() + fireTimes(logB).size() >= before + 5);
        } finally {
            a.destroy();
            b.destroy();
            a.waitFor();
            b.waitFor();
            jdbc.update("update channel_mappings set sync_enabled = true where id = any(?)", (Object) paused.toArray(new UUID[0]));
        }
        List<String> onA = fireTimes(logA);
        List<String> onB = fireTimes(logB);
        System.out.println("TwoInstanceClusterTest: reconciliation fired " + onA.size() + " time(s) on the first instance, "
                + onB.size() + " on the second");
        List<String> all = new ArrayList<>(onA);
        all.addAll(onB);
        // each scheduled fire time once, on one instance or the other
        assertThat(all).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
    }

    /** The fire times of the scheduled runs an instance's log names (route reconciliation-schedule's line). */
    private static List<String> fireTimes(java.nio.file.Path log) throws java.io.IOException {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("Scheduled reconciliation \\(fire time ([^)]+)\\)");
        return java.nio.file.Files.readAllLines(log).stream().map(line::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1)).toList();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Another instance in its own JVM, on the shared database and broker. */
    private static Process startProcess(int port, java.nio.file.Path log, String... more) throws java.io.IOException {
        HikariDataSource shared = first.getBean(HikariDataSource.class);
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), ChannelSyncApplication.class.getName(),
                "--spring.profiles.active=test,cluster", "--spring.config.additional-location=classpath:/application-test.yaml",
                "--server.port=" + port, "--spring.datasource.url=" + shared.getJdbcUrl(),
                "--spring.datasource.username=" + (shared.getUsername() == null ? "" : shared.getUsername()),
                "--spring.datasource.password=" + (shared.getPassword() == null ? "" : shared.getPassword()),
                "--channel-sync.queues.prefix=" + PREFIX,
                "--channel-sync.channels.airbnb.base-url=" + channels.baseUrl() + "/airbnb",
                "--channel-sync.channels.booking-com.base-url=" + channels.baseUrl() + "/booking"));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Start-up: seconds on an idle machine, minutes on a crowded one (bounded all the same). */
    private static void awaitHealthy(Process process, int port, java.nio.file.Path log) {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("the instance runs (see %s)", log).isTrue();
            try {
                return api.get("/actuator/health", null).statusCode() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }
}
