package io.channelsync.channel.bookingcom;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.channelsync.instance.Instances;
import io.channelsync.support.TestInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: the Booking.com poll runs on one instance at a time, and moves to another within 2 heartbeats when that
 * instance dies. Two instances (two Spring contexts in this JVM, in-memory queues: no broker needed) on one
 * PostgreSQL, both with the poll timer running. Each instance reaches Booking.com's WireMock under its own prefix
 * ({@code /one/booking}, {@code /two/booking}), so every GET says which instance polled.
 */
class BookingComPollClusterTest {

    /** The heartbeat; the check interval is its default, the heartbeat interval. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(4);
    /** A GET comes a little after its poll was recorded (the token exchange, a busy machine): this much either way. */
    private static final Duration MARGIN = POLL_INTERVAL.dividedBy(4);
    private static final String NEW = "/booking/hotels/ota/OTA_HotelResNotif";

    private static WireMockServer booking;
    private static final Map<String, ConfigurableApplicationContext> INSTANCES = new HashMap<>();
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startTwoInstances() {
        booking = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        booking.start();
        booking.stubFor(post(urlPathMatching("/(one|two)/booking/token-based-authentication/exchange"))
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}")));
        booking.stubFor(get(urlPathMatching("/(one|two)" + NEW)).willReturn(ok(BookingComPollTest.EMPTY_NEW)
                .withHeader("Content-Type", "application/xml")));
        booking.stubFor(get(urlPathMatching("/(one|two)/booking/hotels/ota/OTA_HotelResModifyNotif"))
                .willReturn(ok(BookingComPollTest.EMPTY_MODIFY).withHeader("Content-Type", "application/xml")));
        for (String name : List.of("one", "two")) {
            Map<String, Object> properties = new HashMap<>(TestInstances.database());
            properties.put("channel-sync.channels.airbnb.base-url", booking.baseUrl() + "/airbnb");
            properties.put("channel-sync.channels.booking-com.base-url", booking.baseUrl() + "/" + name + "/booking");
            properties.put("channel-sync.instances.heartbeat-interval", HEARTBEAT.toMillis() + "ms");
            properties.put("channel-sync.channels.booking-com.poll-interval", POLL_INTERVAL.toMillis() + "ms");
            // application.yaml's default, which the test profile shortens for the shared test context
            properties.put("channel-sync.channels.booking-com.poll-check-interval", "${channel-sync.instances.heartbeat-interval}");
            properties.put("channel-sync.channels.booking-com.poll-auto-startup", "true");
            // both on one embedded server (shared by reference count: closing one instance leaves it running)
            INSTANCES.put(name, TestInstances.start("target/embedded-pg-poll", properties, "test"));
        }
        // the test's own connections: they outlive whichever instance stops
        Map<String, Object> database = TestInstances.databaseOf(INSTANCES.get("one"));
        jdbc = new JdbcTemplate(new DriverManagerDataSource((String) database.get("spring.datasource.url"),
                (String) database.get("spring.datasource.username"), (String) database.get("spring.datasource.password")));
    }

    @AfterAll
    static void stop() {
        INSTANCES.values().forEach(ConfigurableApplicationContext::close);
        if (booking != null) {
            booking.stop();
        }
    }

    /** A GET of OTA_HotelResNotif: when, and by which instance. */
    private record Poll(Instant at, String instance) {
    }

    private static List<Poll> polls() {
        return booking.findAll(getRequestedFor(urlPathMatching("/(one|two)" + NEW))).stream()
                .map((LoggedRequest r) -> new Poll(r.getLoggedDate().toInstant(), r.getUrl().substring(1, 4)))
                .sorted(Comparator.comparing(Poll::at)).toList();
    }

    /** The cluster's last poll (table channel_polls): when (the database's clock), and by which instance. */
    private record LastPoll(Instant at, UUID by) {
    }

    private static LastPoll lastPoll() {
        return jdbc.queryForObject("select polled_at, polled_by from channel_polls where platform = 'booking_com'",
                (rs, n) -> new LastPoll(rs.getTimestamp("polled_at").toInstant(), (UUID) rs.getObject("polled_by")));
    }

    private static UUID id(String instance) {
        return INSTANCES.get(instance).getBean(Instances.class).id();
    }

    @Test
    void theClusterPollsOncePerIntervalAndTheOtherInstanceTakesOverWithinTwoHeartbeatsWhenThePollerStops() {
        // both timers check every heartbeat; together they poll once per poll-interval (the polls made while the
        // second instance started, the first one's cold one among them, are left out)
        booking.resetRequests();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> polls().size() >= 4);
        List<Poll> polls = polls();
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.between(polls.get(i - 1).at(), polls.get(i).at())).as("time between polls %s and %s", i, i + 1)
                    .isGreaterThan(POLL_INTERVAL.minus(MARGIN));
        }

        // right after its next poll, the instance that made it stops (its timer with it)
        int before = polls().size();
        await().atMost(POLL_INTERVAL.plus(HEARTBEAT.multipliedBy(2))).pollInterval(Duration.ofMillis(20))
                .until(() -> polls().size() > before);
        String stopped = polls().get(polls().size() - 1).instance();
        String survivor = stopped.equals("one") ? "two" : "one";
        LastPoll last = lastPoll();
        assertThat(last.by()).as("channel_polls names the instance that polled").isEqualTo(id(stopped));
        INSTANCES.get(stopped).close();
        long pollsOfStopped = polls().stream().filter(p -> p.instance().equals(stopped)).count();
        Instant due = last.at().plus(POLL_INTERVAL);

        // the survivor polls once the poll is due, within two heartbeats
        await().atMost(POLL_INTERVAL.plus(HEARTBEAT.multipliedBy(2)).plus(MARGIN)).pollInterval(Duration.ofMillis(20))
                .until(() -> lastPoll().by().equals(id(survivor)));
        Duration afterDue = Duration.between(due, lastPoll().at());
        System.out.println("BookingComPollClusterTest: instance " + stopped + " stopped; instance " + survivor + " polled "
                + afterDue.toMillis() + " ms after the poll was due (poll-interval " + POLL_INTERVAL.toMillis() + " ms, heartbeat "
                + "and check interval " + HEARTBEAT.toMillis() + " ms)");
        assertThat(afterDue).as("takeover after the due time").isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(HEARTBEAT.multipliedBy(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> polls().stream().anyMatch(p -> p.instance().equals(survivor)
                && p.at().isAfter(polls.get(polls.size() - 1).at())));
        assertThat(polls().stream().filter(p -> p.instance().equals(stopped)).count()).as("polls of the stopped instance")
                .isEqualTo(pollsOfStopped);
    }
}
