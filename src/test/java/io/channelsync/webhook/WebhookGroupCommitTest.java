package io.channelsync.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit of the intake (WebhookCommits): the rows of concurrent deliveries share one INSERT
 * and one commit; every answer comes after the commit that holds its row. Real HTTP, real PostgreSQL.
 */
class WebhookGroupCommitTest extends IntegrationTest {

    @Autowired
    WebhookCommits commits;

    @Autowired
    DataSource dataSource;

    @Autowired
    ObjectMapper json;

    @Autowired
    io.channelsync.instance.Instances instances;

    @Test
    void concurrentDeliveriesAreEachAnsweredOnlyAfterTheirRowIsCommitted() throws Exception {
        TestData.Agency agency = data.agency();
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), data.property(agency.id()), listing);
        int clients = 32;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<String>> seen = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String code = "HMGC" + i + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
                byte[] body = airbnbReservation("evt-" + UUID.randomUUID(), "reservation_acceptance_confirmation", code, listing,
                        "2027-05-01", "2027-05-03", 2, "accepted");
                seen.add(pool.submit(() -> {
                    HttpResponse<String> response = api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body));
                    assertThat(response.statusCode()).isEqualTo(202);
                    long id = json.readTree(response.body()).path("id").asLong();
                    // read at once, by another connection: the row must already be committed
                    return jdbc.queryForObject("select status from webhook_log where id = ?", String.class, id);
                }));
            }
            for (Future<String> status : seen) {
                assertThat(status.get()).isIn("queued", "received", "processed");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aDuplicateInsideOneBatchIsAnsweredDuplicateAndLoggedInTheSameCommit() throws Exception {
        String first = "evt-" + UUID.randomUUID(), second = "evt-" + UUID.randomUUID(), earlier = "evt-" + UUID.randomUUID();
        assertThat(commits.commitAsOneBatch(List.of(delivery(earlier, "{}"))).get(0).get().duplicate()).isFalse();

        // processing paused, so no stored row moves (a new row version would hide the batch's transaction id)
        camel.getRouteController().stopRoute("webhook-processing");
        List<CompletableFuture<WebhookLog.Stored>> answers;
        List<Map<String, Object>> rows;
        try {
            answers = commits.commitAsOneBatch(List.of(
                    delivery(first, "{\"n\":1}"), delivery(first, "{\"n\":2}"), delivery(second, "{}"), delivery(earlier, "{}")));
            for (CompletableFuture<WebhookLog.Stored> answer : answers) {
                answer.get();
            }
            rows = jdbc.queryForList("""
                    select event_id, status, payload::text as payload, xmin::text as tx from webhook_log
                    where event_id in (?, ?) or (event_id = ? and status = 'duplicate') order by id""", first, second, earlier);
        } finally {
            camel.getRouteController().startRoute("webhook-processing");
        }

        assertThat(answers.get(0).get().duplicate()).isFalse();
        assertThat(answers.get(1).get().duplicate()).isTrue();
        assertThat(answers.get(2).get().duplicate()).isFalse();
        assertThat(answers.get(3).get().duplicate()).as("already logged by an earlier batch").isTrue();
        assertThat(rows).extracting(r -> r.get("event_id") + " " + (r.get("status").equals("duplicate") ? "duplicate" : "stored"))
                .containsExactlyInAnyOrder(first + " stored", first + " duplicate", second + " stored", earlier + " duplicate");
        assertThat(rows).filteredOn(r -> r.get("event_id").equals(first) && !r.get("status").equals("duplicate"))
                .extracting(r -> r.get("payload")).containsExactly("{\"n\": 1}");
        assertThat(rows).extracting(r -> r.get("tx")).as("one transaction for the whole batch").containsOnly(rows.get(0).get("tx"));
        assertThat(jdbc.queryForList("select owner from webhook_log where event_id in (?, ?) and status <> 'duplicate'", Object.class,
                first, second)).as("every new row of the batch owned by this instance").containsOnly(instances.id());
    }

    @Test
    void aBatchTheDatabaseCannotTakeFailsEveryRequestInItAndStoresNothing() throws Exception {
        List<String> events = List.of("evt-" + UUID.randomUUID(), "evt-" + UUID.randomUUID(), "evt-" + UUID.randomUUID());
        List<CompletableFuture<WebhookLog.Stored>> answers;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table webhook_log in exclusive mode");
                // the batch waits for the lock until its statement times out (channel-sync.webhooks.db-timeout)
                answers = commits.commitAsOneBatch(events.stream().map(e -> delivery(e, "{}")).toList());
            } finally {
                lock.rollback();
            }
        }
        for (CompletableFuture<WebhookLog.Stored> answer : answers) {
            assertThatThrownBy(answer::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DataAccessException.class);
        }
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where event_id in (?, ?, ?)", Integer.class,
                events.toArray())).isZero();
    }

    @Test
    void aDeliveryTheDatabaseRefusesDoesNotTakeItsBatchDown() throws Exception {
        String good = "evt-" + UUID.randomUUID(), bad = "evt-" + UUID.randomUUID(), alsoGood = "evt-" + UUID.randomUUID();
        // valid JSON that jsonb cannot hold (a number past numeric's range, SQL state 22003; a NUL no longer is one, it is
        // stored as U+FFFD): the whole INSERT fails, then each row is committed alone
        byte[] huge = "{\"n\": 1E+200000}".getBytes(StandardCharsets.UTF_8);
        WebhookLog.Delivery refused = new WebhookLog.Delivery("airbnb", bad, "test_notification", Instant.now(), Map.of(), huge,
                json.createObjectNode().put("n", new java.math.BigDecimal("1E+200000")), true);
        List<CompletableFuture<WebhookLog.Stored>> answers = commits.commitAsOneBatch(List.of(
                delivery(good, "{}"), refused, delivery(alsoGood, "{}")));

        assertThat(answers.get(0).get().id()).isNotNull();
        assertThatThrownBy(() -> answers.get(1).get()).hasCauseInstanceOf(DataAccessException.class);
        assertThat(answers.get(2).get().id()).isNotNull();
        assertThat(jdbc.queryForList("select event_id from webhook_log where event_id in (?, ?, ?)", String.class, good, bad, alsoGood))
                .containsExactlyInAnyOrder(good, alsoGood);
    }

    private WebhookLog.Delivery delivery(String eventId, String body) {
        try {
            byte[] raw = body.getBytes(StandardCharsets.UTF_8);
            return new WebhookLog.Delivery("airbnb", eventId, "test_notification", Instant.now(), Map.of("Content-Type", "application/json"),
                    raw, json.readTree(raw), true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
