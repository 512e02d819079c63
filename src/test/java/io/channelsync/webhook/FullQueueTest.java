package io.channelsync.webhook;

import io.channelsync.sync.SyncTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 11: a full queue never fails a request after its commit, and never hides work behind a
 * lease. What the queue refuses is released (no owner), so the next sweep of any instance takes it.
 */
class FullQueueTest extends SyncTestSupport {

    @Autowired
    WebhookRecovery recovery;

    @Autowired
    WebhookQueue queue;

    /** Fills a stopped route's queue with messages that name no row, leaving {@code room} places. */
    private BlockingQueue<Exchange> fill(String routeId, String header, int room) {
        BlockingQueue<Exchange> queue = ((SedaEndpoint) camel.getRoute(routeId).getEndpoint()).getQueue();
        while (queue.remainingCapacity() > room) {
            Exchange filler = new DefaultExchange(camel);
            filler.getIn().setHeader(header, -1L);
            queue.offer(filler);
        }
        return queue;
    }

    private static void removeFillers(BlockingQueue<Exchange> queue, String header) {
        queue.removeIf(e -> Long.valueOf(-1L).equals(e.getIn().getHeader(header, Long.class)));
    }

    interface WithQueue {
        void run(BlockingQueue<Exchange> queue) throws Exception;
    }

    /**
     * Runs {@code body} with the webhook consumers and the periodic sweep stopped (only the test's own sweep runs: the
     * periodic one would race it for the same rows) and the webhook queue filled to leave {@code room} places; then
     * removes the fillers and starts both again.
     */
    private void withWebhookQueueFull(int room, WithQueue body) throws Exception {
        camel.getRouteController().stopRoute("webhook-recovery");
        camel.getRouteController().stopRoute("webhook-processing");
        BlockingQueue<Exchange> queue = fill("webhook-processing", WebhookQueue.LOG_ID, room);
        try {
            body.run(queue);
        } finally {
            removeFillers(queue, WebhookQueue.LOG_ID);
            camel.getRouteController().startRoute("webhook-processing");
            camel.getRouteController().startRoute("webhook-recovery");
        }
    }

    @Test
    void requeueWithAFullSyncQueueAnswers202AndTheJobRunsOnceThereIsRoom() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(400).withBody("listing refused")));
        long job = trigger(f);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from deadletters where sync_log_id = ? and status = 'open'", Integer.class, job) == 1);
        long deadLetter = jdbc.queryForObject("select id from deadletters where sync_log_id = ?", Long.class, job);
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));

        camel.getRouteController().stopRoute("availability-sync");
        BlockingQueue<Exchange> queue = fill("availability-sync", "syncJobId", 0);
        try {
            HttpResponse<String> response = api.post("/api/v1/deadletters/" + deadLetter + "/requeue", OPERATOR_KEY, "");
            // committed: answered as every requeue is, although the queue had no room
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("requeued");
            assertThat(jdbc.queryForObject("select status = 'pending' and owner is null from sync_logs where id = ?", Boolean.class, job))
                    .as("pending and released for any instance's sweep").isTrue();
        } finally {
            removeFillers(queue, "syncJobId");
            camel.getRouteController().startRoute("availability-sync");
        }
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        assertThat(jdbc.queryForObject("select status from deadletters where id = ?", String.class, deadLetter)).isEqualTo("requeued");
    }

    @Test
    void aRecoverySweepThatFindsTheQueueFullLeavesTheRestClaimableAtOnce() throws Exception {
        Fixture hotel = bookingFixture();
        List<Long> rows = new ArrayList<>();
        withWebhookQueueFull(1, full -> {
            // three acknowledged deliveries nobody holds (released by an earlier full queue)
            for (int i = 0; i < 3; i++) {
                rows.add(unownedReceived(hotel));
            }
            recovery.recover();

            List<Long> inQueue = full.stream().map(e -> e.getIn().getHeader(WebhookQueue.LOG_ID, Long.class)).filter(rows::contains).toList();
            List<Long> queued = jdbc.queryForList("select id from webhook_log where id in (?, ?, ?) and status = 'queued'", Long.class, rows.toArray());
            List<Long> waiting = jdbc.queryForList("select id from webhook_log where id in (?, ?, ?) and status = 'received' and owner is null",
                    Long.class, rows.toArray());
            // a row is queued only if it is really in the queue; the others wait with no owner, not behind a lease
            assertThat(queued).containsExactlyInAnyOrderElementsOf(inQueue);
            assertThat(waiting).hasSize(3 - inQueue.size()).isNotEmpty();
        });
        // the next sweeps take the rest: all are processed in seconds, far inside the 20 s queued-lease of the test profile
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select status from webhook_log where id in (?, ?, ?)", String.class, rows.toArray())).containsOnly("processed"));
    }

    @Test
    void theRefillAloneQueuesWhatTheFullQueueReleasedAsRoomFreesUp() throws Exception {
        Fixture hotel = bookingFixture();
        long released = delivery(hotel, "queued");
        camel.getRouteController().stopRoute("webhook-recovery"); // no sweep until the end: only the refill (webhook-backlog) claims
        try {
            camel.getRouteController().stopRoute("webhook-processing");
            BlockingQueue<Exchange> full = fill("webhook-processing", WebhookQueue.LOG_ID, 0);
            try {
                assertThat(queue.offer(List.of(released))).isZero();
                assertThat(jdbc.queryForObject("select status = 'received' and owner is null from webhook_log where id = ?",
                        Boolean.class, released)).as("released").isTrue();
            } finally {
                removeFillers(full, WebhookQueue.LOG_ID);
                camel.getRouteController().startRoute("webhook-processing");
            }
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "select status from webhook_log where id = ?", String.class, released)).isEqualTo("processed"));
        } finally {
            camel.getRouteController().startRoute("webhook-recovery");
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aBurstIsLoggedOnceWhenItStartsAndOnceWhenItIsCaughtUpHoweverOftenTheQueueFillsAgain(CapturedOutput output) throws Exception {
        Fixture hotel = bookingFixture();
        List<Long> rows = new ArrayList<>();
        withWebhookQueueFull(0, waiting -> {
            // a sustained burst: the queue is full, a consumer frees one place, the next delivery takes it, and so on
            for (int i = 0; i < 3; i++) {
                long refused = delivery(hotel, "queued");
                assertThat(queue.offer(List.of(refused))).isZero();
                waiting.poll();
                long accepted = delivery(hotel, "queued");
                assertThat(queue.offer(List.of(accepted))).isOne();
                rows.add(refused);
                rows.add(accepted);
            }
        });
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select status from webhook_log where id in (?, ?, ?, ?, ?, ?)", String.class, rows.toArray())).containsOnly("processed"));
        await().atMost(Duration.ofSeconds(8)).until(() -> output.getOut().contains("Webhook queue caught up"));
        assertThat(output.getOut().split("Webhook queue refused webhook", -1)).as("one WARN for the burst, not one per refusal").hasSize(2);
        assertThat(output.getOut().split("Webhook queue caught up", -1)).hasSize(2);
    }

    private long unownedReceived(Fixture f) {
        return delivery(f, "received");
    }

    private long delivery(Fixture f, String status) {
        String code = Long.toString(8_000_000_000L + System.nanoTime() % 1_000_000_000L);
        String body = """
                {"type": "reservation", "hotel_id": "%s", "reservation": {"reservation_id": "%s", "room_id": "%s",
                 "checkin": "2027-06-10", "checkout": "2027-06-12", "guests": 2, "status": "new"}}""".formatted(f.listing(), code, f.room());
        return jdbc.queryForObject("""
                insert into webhook_log (platform, event_id, event_type, event_time, raw_body, payload, signature_valid, status)
                values ('booking_com', ?, 'reservation', now(), convert_to(?, 'UTF8'), cast(? as jsonb), true, ?)
                returning id""", Long.class, "evt-" + UUID.randomUUID(), body, body, status);
    }
}
