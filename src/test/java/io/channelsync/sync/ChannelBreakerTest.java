package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.support.TestData;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14 §2: one circuit breaker per channel. While a channel is down its jobs are held (status held, retries
 * kept), never burned into dead letters; a half-open probe that succeeds resumes them, and opening and closing
 * raise channel_down / channel_up. Test profile: 20 calls in a 10 s window before the rate counts, probe after 1 s;
 * every test starts with closed breakers (IntegrationTest).
 */
class ChannelBreakerTest extends SyncTestSupport {

    private static final String CALENDARS = "/airbnb/v2/calendars/.*";

    @Autowired
    ChannelBreakers breakers;

    @Test
    void aChannelDownForTwoMinutesEndsWithNoDeadLettersAndEveryJobSucceededAfterItReturns() throws Exception {
        CHANNELS.stubFor(post(urlPathMatching(".*/test-alert-webhook")).willReturn(aResponse().withStatus(204)));
        // down: every calendar push answered 503 (Retry-After 3 s: no job can spend its 5 retries before the breaker opens)
        CHANNELS.stubFor(put(urlPathMatching(CALENDARS)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3")));
        long alertsBefore = alerts("channel_down");
        TestData.Agency agency = data.agency();
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            jobs.add(trigger(fixtureOf(agency)));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> breakers.state("airbnb") != CircuitBreaker.State.CLOSED);
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("channel_down") == alertsBefore + 1);
        assertThat(jdbc.queryForObject("select count(*) from alerts where kind = 'channel_down' and agency_id is null", Long.class))
                .isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> CHANNELS.verify(postRequestedFor(urlPathMatching(".*/test-alert-webhook"))
                .withRequestBody(containing("\"kind\":\"channel_down\""))));

        // two minutes down: jobs are held (visible in the API), probes fail, and nothing is dead-lettered
        await().atMost(Duration.ofSeconds(60)).until(() -> count(jobs, "held") >= 20);
        JsonNode held = JSON.readTree(api.get("/api/v1/sync/jobs?status=held&limit=200", agency.apiKey()).body());
        assertThat(held.path("items").size()).isGreaterThanOrEqualTo(20);
        assertThat(held.path("items").get(0).path("status").asText()).isEqualTo("held");
        JsonNode health = channel(JSON.readTree(api.get("/api/v1/channels/health", OPERATOR_KEY).body()), "airbnb");
        assertThat(health.path("health").asText()).isEqualTo("down");
        assertThat(health.path("held_jobs").asLong()).isGreaterThanOrEqualTo(20);
        await().during(Duration.ofMinutes(2)).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> deadLetters(jobs) == 0 && count(jobs, "deadlettered") == 0 && count(jobs, "failed") == 0);

        // back: the next probe succeeds, the breaker closes, every held job resumes and succeeds
        long upBefore = alerts("channel_up");
        CHANNELS.stubFor(put(urlPathMatching(CALENDARS)).willReturn(aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> count(jobs, "succeeded") == jobs.size());
        assertThat(deadLetters(jobs)).isZero();
        assertThat(breakers.state("airbnb")).isEqualTo(CircuitBreaker.State.CLOSED);
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("channel_up") == upBefore + 1);
        // held, not retried: no job spent its whole retry budget
        assertThat(jdbc.queryForObject("select max(retry_count) from sync_logs where id in (" + ids(jobs) + ")", Integer.class)).isLessThan(5);
        assertThat(jdbc.queryForObject("select count(*) from sync_attempts where outcome = 'held' and sync_log_id in (" + ids(jobs) + ")",
                Long.class)).isPositive();
        JsonNode after = channel(JSON.readTree(api.get("/api/v1/channels/health", agency.apiKey()).body()), "airbnb");
        assertThat(after.path("circuit").asText()).isEqualTo("closed");
        assertThat(after.path("held_jobs").asLong()).isZero();
        assertThat(after.path("connections")).allSatisfy(c -> assertThat(c.path("agency_id").asText()).isEqualTo(agency.id().toString()));
    }

    @Test
    void permanent4xxDeadLettersAtOnceAndDoesNotOpenTheBreaker() throws Exception {
        CHANNELS.stubFor(put(urlPathMatching(CALENDARS)).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown listing\"}")));
        TestData.Agency agency = data.agency();
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 22; i++) { // more than the breaker's 20 calls
            jobs.add(trigger(fixtureOf(agency)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(jobs) == jobs.size());
        assertThat(count(jobs, "failed")).isEqualTo(jobs.size());
        assertThat(jdbc.queryForObject("select count(*) from sync_attempts where sync_log_id in (" + ids(jobs) + ")", Long.class))
                .isEqualTo(jobs.size()); // one attempt each, no retry
        assertThat(breakers.state("airbnb")).isEqualTo(CircuitBreaker.State.CLOSED);
        JsonNode health = channel(JSON.readTree(api.get("/api/v1/channels/health", agency.apiKey()).body()), "airbnb");
        assertThat(health.path("health").asText()).isEqualTo("healthy"); // a 4xx is an answer: the channel is up
        assertThat(health.path("calls").asLong()).isPositive(); // those still in the 10 s window
        assertThat(health.path("failed_calls").asLong()).isZero();
    }

    private Fixture fixtureOf(TestData.Agency agency) {
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        UUID mapping = data.airbnbMapping(agency.id(), property, listing);
        calendar(property);
        return new Fixture(agency, property, mapping, listing, null);
    }

    private static JsonNode channel(JsonNode report, String platform) {
        for (JsonNode item : report.path("items")) {
            if (platform.equals(item.path("platform").asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + platform + " in " + report);
    }

    private long alerts(String kind) {
        return jdbc.queryForObject("select count(*) from alerts where kind = ?", Long.class, kind);
    }

    private long count(List<Long> jobs, String status) {
        return jdbc.queryForObject("select count(*) from sync_logs where status = ? and id in (" + ids(jobs) + ")", Long.class, status);
    }

    private long deadLetters(List<Long> jobs) {
        return jdbc.queryForObject("select count(*) from deadletters where sync_log_id in (" + ids(jobs) + ")", Long.class);
    }

    private static String ids(List<Long> jobs) {
        return String.join(",", jobs.stream().map(String::valueOf).toList());
    }
}
