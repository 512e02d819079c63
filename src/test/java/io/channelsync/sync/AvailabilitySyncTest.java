package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Navigate;
import org.apache.camel.processor.errorhandler.RedeliveryErrorHandler;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.ErrorHandlerAware;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AvailabilitySyncTest extends SyncTestSupport {

    @Autowired
    RetryProperties retry;

    @Autowired
    SyncProperties sync;

    @Test
    void jobSucceedsAfterTwoTransientFailuresWithTwoRetriesAndThreeAttempts() throws Exception {
        Fixture f = airbnbFixture();
        String path = airbnbPath(f);
        CHANNELS.stubFor(put(urlPathMatching(path)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("failed once"));
        CHANNELS.stubFor(put(urlPathMatching(path)).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("failed twice"));
        CHANNELS.stubFor(put(urlPathMatching(path)).inScenario("flaky").whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(200)));

        long job = trigger(f);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));

        assertThat(retryCount(job)).isEqualTo(2);
        assertThat(outcomes(job)).containsExactly("transient_failure", "transient_failure", "succeeded");
        assertThat(jdbc.queryForList("select http_status from sync_attempts where sync_log_id = ? order by attempt_number", Integer.class, job))
                .containsExactly(503, 500, 200);
        assertThat(jdbc.queryForMap("select started_at, finished_at, last_error from sync_logs where id = ?", job))
                .containsEntry("last_error", null).extractingByKey("finished_at").isNotNull();
        // the real wait between attempts follows the (test) backoff: 50 ms, then 100 ms
        assertGapsAtLeast(attemptStarts(job), List.of(50L, 100L));
        // the Airbnb calls as the public evidence shows them (docs/channels.md): the two equal open nights folded
        // into one range (asked at every attempt), the closed night its own range (reached by the last attempt only)
        String token = io.channelsync.support.TestData.oauthToken(data.airbnbHost(data.airbnbConnection(f.agency().id())));
        CHANNELS.verify(3, putRequestedFor(urlEqualTo("/airbnb/v2/calendars/" + f.listing() + "/" + DAY1 + "/" + DAY1.plusDays(1)))
                .withHeader("Content-Type", containing("application/json"))
                .withHeader("X-Airbnb-API-Key", equalTo("test-airbnb-api-key"))
                .withHeader("X-Airbnb-OAuth-Token", equalTo(token))
                .withoutHeader("Authorization")
                .withRequestBody(equalToJson("{\"availability\": \"available\", \"min_nights\": 2, \"daily_price\": 120.00}")));
        CHANNELS.verify(1, putRequestedFor(urlEqualTo("/airbnb/v2/calendars/" + f.listing() + "/" + DAY1.plusDays(2) + "/" + DAY1.plusDays(2)))
                .withHeader("X-Airbnb-OAuth-Token", equalTo(token))
                .withRequestBody(equalToJson("{\"availability\": \"unavailable\", \"min_nights\": 2, \"daily_price\": 120.00}")));
        CHANNELS.verify(4, putRequestedFor(urlPathMatching(path)));
    }

    @Test
    void jobIsDeadLetteredAfterFiveRetriesAndARequeueSucceedsOnceTheChannelRecovers() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(503).withBody("maintenance")));

        long job = trigger(f);
        awaitStatus(job, "deadlettered", Duration.ofSeconds(15));

        assertThat(retryCount(job)).isEqualTo(5);
        assertThat(outcomes(job)).hasSize(6).containsOnly("transient_failure");
        assertThat(jdbc.queryForObject("select deadletter_at is not null from sync_logs where id = ?", Boolean.class, job)).isTrue();
        assertGapsAtLeast(attemptStarts(job), List.of(50L, 100L, 200L, 400L, 800L));

        Map<String, Object> dl = jdbc.queryForMap("""
                select id, source, source_route, agency_id, platform, status, payload::text as payload, exception_class,
                       exception_message, stack_trace, attempts::text as attempts, attempt_count, first_failure_at
                from deadletters where sync_log_id = ?""", job);
        assertThat(dl).containsEntry("source", "sync").containsEntry("source_route", "availability-sync")
                .containsEntry("agency_id", f.agency().id()).containsEntry("platform", "airbnb").containsEntry("status", "open")
                .containsEntry("attempt_count", 6).containsEntry("exception_class", "io.channelsync.channel.ChannelCallException");
        assertThat((String) dl.get("exception_message")).contains("503").contains("maintenance");
        assertThat((String) dl.get("stack_trace")).contains("ChannelCallException");
        assertThat(dl.get("first_failure_at")).isNotNull();
        JsonNode payload = JSON.readTree((String) dl.get("payload"));
        assertThat(payload.path("listing_id").asText()).isEqualTo(f.listing());
        assertThat(payload.path("job").path("from").asText()).isEqualTo(DAY1.toString());
        JsonNode attempts = JSON.readTree((String) dl.get("attempts"));
        assertThat(attempts).hasSize(6);
        assertThat(attempts.get(5).path("error").asText()).contains("503");
        long deadLetter = ((Number) dl.get("id")).longValue();

        // the channel recovers; a requeue brings the job to succeeded
        CHANNELS.resetAll();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        var requeue = api.post("/api/v1/deadletters/" + deadLetter + "/requeue", f.agency().apiKey(), "");
        assertThat(requeue.statusCode()).as(requeue.body()).isEqualTo(202);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        assertThat(retryCount(job)).isZero();
        assertThat(outcomes(job)).hasSize(7).last().isEqualTo("succeeded");
        assertThat(jdbc.queryForMap("select status, requeue_count, requeued_at is not null as stamped from deadletters where id = ?", deadLetter))
                .containsEntry("status", "requeued").containsEntry("requeue_count", 1).containsEntry("stamped", true);

        // a second requeue of the same entry is refused and enqueues nothing
        var again = api.post("/api/v1/deadletters/" + deadLetter + "/requeue", f.agency().apiKey(), "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(status(job)).isEqualTo("succeeded");
        assertThat(outcomes(job)).hasSize(7);
        CHANNELS.verify(2, putRequestedFor(urlPathMatching(airbnbPath(f)))); // the requeued push: its two ranges
    }

    @Test
    void permanent400IsNotRetriedAndTheJobFailsIntoTheDeadLetterStoreWithTheReason() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown listing\"}")));

        long job = trigger(f);
        awaitStatus(job, "failed", Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                jdbc.queryForObject("select count(*) from deadletters where sync_log_id = ?", Integer.class, job) == 1);

        assertThat(retryCount(job)).isZero();
        assertThat(outcomes(job)).containsExactly("permanent_failure");
        Map<String, Object> row = jdbc.queryForMap("select status, deadletter_at, last_error from sync_logs where id = ?", job);
        assertThat(row).containsEntry("status", "failed").containsEntry("deadletter_at", null);
        assertThat((String) row.get("last_error")).contains("400").contains("unknown listing");
        assertThat(jdbc.queryForObject("select exception_message from deadletters where sync_log_id = ?", String.class, job))
                .contains("HTTP 400").contains("unknown listing");
        CHANNELS.verify(1, putRequestedFor(urlPathMatching(airbnbPath(f))));
        // the PMS hears of it: the sync.deadlettered event, written by the dead letter's own statement
        Map<String, Object> event = jdbc.queryForMap("""
                select e.agency_id, e.data->>'sync_job_id' as job, e.data->>'error' as error, e.data->>'platform' as platform
                from events e join deadletters d on d.id = cast(e.data->>'dead_letter_id' as bigint)
                where e.type = 'sync.deadlettered' and d.sync_log_id = ?""", job);
        assertThat(event).containsEntry("agency_id", f.agency().id()).containsEntry("job", Long.toString(job))
                .containsEntry("platform", "airbnb");
        assertThat((String) event.get("error")).contains("HTTP 400");
    }

    @Test
    void aHealthyJobCompletesWhileOthersWaitInBackoff() throws Exception {
        // more failing jobs than consumers, each told to come back in 2 s (Retry-After, longer than the backoff)
        List<Fixture> failing = new ArrayList<>();
        List<Long> failingJobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Fixture f = airbnbFixture();
            CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).inScenario("busy-" + i).whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")).willSetStateTo("recovered"));
            CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).inScenario("busy-" + i).whenScenarioStateIs("recovered")
                    .willReturn(aResponse().withStatus(200)));
            failing.add(f);
            failingJobs.add(trigger(f));
        }
        for (long job : failingJobs) {
            awaitStatus(job, "retrying", Duration.ofSeconds(5));
        }
        Fixture healthy = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(healthy))).willReturn(aResponse().withStatus(200)));
        long healthyJob = trigger(healthy);

        awaitStatus(healthyJob, "succeeded", Duration.ofSeconds(1));
        assertThat(failingJobs).allSatisfy(job -> assertThat(status(job)).isEqualTo("retrying"));

        for (long job : failingJobs) {
            awaitStatus(job, "succeeded", Duration.ofSeconds(10));
            List<Timestamp> starts = attemptStarts(job);
            // Retry-After: 2 was honoured instead of the 50 ms backoff
            assertThat(starts.get(1).getTime() - starts.get(0).getTime()).isGreaterThanOrEqualTo(1900);
        }
    }

    /**
     * Issue 12 as behaviour (the figure is make bench's): retries run on their own pool of
     * channel-sync.sync.retry-threads, so however many jobs are due, at most that many retries are in flight,
     * the others wait for a thread (not for a consumer), and a new job goes past them all.
     */
    @Test
    void retriesRunOnTheirOwnFewThreadsAndAHealthyJobGoesPastThem() throws Exception {
        int threads = sync.retryThreads();
        List<Long> failingJobs = new ArrayList<>();
        for (int i = 0; i < threads + 4; i++) {
            Fixture f = airbnbFixture();
            // the first attempt fails at once; its retry hangs 4 s, so the retry threads stay busy
            CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).inScenario("slow-" + i).whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("slow"));
            CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).inScenario("slow-" + i).whenScenarioStateIs("slow")
                    .willReturn(aResponse().withStatus(200).withFixedDelay(4000)));
            failingJobs.add(trigger(f));
        }
        String ids = String.join(",", failingJobs.stream().map(String::valueOf).toList());
        String inFlightRetries = "select count(*) from sync_attempts where attempt_number > 1 and outcome is null and sync_log_id in (" + ids + ")";
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(inFlightRetries, Long.class) == threads);

        Fixture healthy = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(healthy))).willReturn(aResponse().withStatus(200)));
        long healthyJob = trigger(healthy);
        awaitStatus(healthyJob, "succeeded", Duration.ofSeconds(10));

        assertThat(jdbc.queryForObject(inFlightRetries, Long.class)).isLessThanOrEqualTo(threads);
        assertThat(jdbc.queryForObject("select count(*) from sync_logs where status = 'retrying' and id in (" + ids + ")", Long.class))
                .as("due retries waiting for a retry thread").isPositive();
        for (long job : failingJobs) {
            awaitStatus(job, "succeeded", Duration.ofSeconds(60));
        }
    }

    @Test
    void productionRetrySettingsWaitOneTwoFourEightSixteenSeconds() {
        RedeliveryPolicy live = syncRedeliveryPolicy();
        // the route's policy is configured from channel-sync.retry.* (the test profile's values)
        assertThat(live.getRedeliveryDelay()).isEqualTo(retry.initialDelayMs());
        assertThat(live.getBackOffMultiplier()).isEqualTo(retry.backoffMultiplier());
        assertThat(live.getMaximumRedeliveryDelay()).isEqualTo(retry.maxDelayMs());
        assertThat(live.isUseExponentialBackOff()).isTrue();
        assertThat(live.isAsyncDelayedRedelivery()).isTrue();

        // the same policy with the production settings, read from the real application.yaml (its
        // defaults, as when no CHANNEL_SYNC_RETRY_* variable is set): 1, 2, 4, 8, 16 s
        RetryProperties defaults = productionRetrySettings();
        RedeliveryPolicy production = live.copy();
        production.setRedeliveryDelay(defaults.initialDelayMs());
        production.setBackOffMultiplier(defaults.backoffMultiplier());
        production.setMaximumRedeliveries(defaults.maxRetries());
        production.setMaximumRedeliveryDelay(defaults.maxDelayMs());
        List<Long> delays = new ArrayList<>();
        long previous = 0;
        for (int retry = 1; retry <= 5; retry++) {
            previous = production.calculateRedeliveryDelay(previous, retry);
            delays.add(previous);
            assertThat(defaults.delayBeforeRetry(retry)).isEqualTo(previous);
        }
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L);
    }

    /** channel-sync.retry as application.yaml (the file the service runs with, not the test profile) sets it by default. */
    private static RetryProperties productionRetrySettings() {
        try {
            var sources = new org.springframework.core.env.MutablePropertySources();
            new org.springframework.boot.env.YamlPropertySourceLoader()
                    .load("application.yaml", new org.springframework.core.io.FileSystemResource("application.yaml"))
                    .forEach(sources::addLast);
            var binder = new org.springframework.boot.context.properties.bind.Binder(
                    org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(sources),
                    new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(sources));
            return binder.bind("channel-sync.retry", RetryProperties.class).get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RedeliveryPolicy syncRedeliveryPolicy() {
        List<Object> todo = new ArrayList<>(camel.getRoute("availability-sync").navigate().next());
        while (!todo.isEmpty()) {
            Object p = todo.remove(0);
            if (p instanceof ErrorHandlerAware aware && aware.getErrorHandler() instanceof RedeliveryErrorHandler handler) {
                return handler.getRedeliveryPolicy();
            }
            if (p instanceof org.apache.camel.Channel channel && channel.getErrorHandler() instanceof RedeliveryErrorHandler handler) {
                return handler.getRedeliveryPolicy();
            }
            if (p instanceof RedeliveryErrorHandler handler) {
                return handler.getRedeliveryPolicy();
            }
            if (p instanceof Navigate<?> navigate && navigate.hasNext()) {
                todo.addAll(navigate.next());
            }
        }
        throw new AssertionError("no redelivery error handler on route availability-sync");
    }

    static void assertGapsAtLeast(List<Timestamp> starts, List<Long> delaysMs) {
        assertThat(starts).hasSize(delaysMs.size() + 1);
        for (int i = 0; i < delaysMs.size(); i++) {
            long gap = starts.get(i + 1).getTime() - starts.get(i).getTime();
            assertThat(gap).as("gap before retry %d", i + 1).isBetween(delaysMs.get(i) - 5, delaysMs.get(i) + 2000);
        }
    }

}
