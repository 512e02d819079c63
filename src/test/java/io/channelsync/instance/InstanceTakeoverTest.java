package io.channelsync.instance;

import io.channelsync.sync.SyncStateMachine;
import io.channelsync.sync.SyncTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 4: work is owned by a live instance. Other instances are simulated honestly as rows of
 * {@code instances} and the rows they own, exactly as a process leaves them: a crashed one stops
 * writing its heartbeat, a live one keeps writing it (the test writes it for it).
 */
class InstanceTakeoverTest extends SyncTestSupport {

    @Autowired
    Instances instances;

    @Autowired
    InstanceProperties properties;

    @Autowired
    SyncStateMachine states;

    private final List<UUID> simulated = new ArrayList<>();

    @AfterEach
    void simulatedInstancesStop() {
        // what a live simulated instance still holds is settled, so later sweeps have nothing of it to take
        for (UUID other : simulated) {
            jdbc.update("update webhook_log set status = 'failed', error = 'test over' where owner = ? and status in ('received', 'queued')", other);
            jdbc.update("update sync_logs set status = 'failed', last_error = 'test over' where owner = ? and status in ('pending', 'running', 'retrying')", other);
            jdbc.update("update instances set stopped_at = now() where id = ?", other);
        }
    }

    /** An instance that crashed: its last heartbeat is older than two heartbeat intervals. */
    private UUID crashedInstance() {
        return otherInstance("crashed-host", "now() - interval '1 minute'");
    }

    /** An instance that lives elsewhere: its heartbeat is fresh (call {@link #beat} to keep it so). */
    private UUID liveInstance() {
        return otherInstance("other-host", "now()");
    }

    private UUID otherInstance(String host, String heartbeat) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into instances (id, host, pid, started_at, heartbeat_at) values (?, ?, 4242, now() - interval '1 hour', " + heartbeat + ")",
                id, host);
        simulated.add(id);
        return id;
    }

    private void beat(UUID instance) {
        jdbc.update("update instances set heartbeat_at = now() where id = ?", instance);
    }

    /** A Booking.com notification carrying its reservation, acknowledged (202) and queued in the owner's memory. */
    private long queuedWebhook(UUID owner, Fixture f) {
        return webhook(owner, f, "queued", "0 seconds");
    }

    /** The same notification as its owner left it: {@code status} (received or queued), last changed {@code age} ago. */
    private long webhook(UUID owner, Fixture f, String status, String age) {
        String code = Long.toString(6_000_000_000L + System.nanoTime() % 1_000_000_000L);
        String body = """
                {"type": "reservation", "hotel_id": "%s", "reservation": {"reservation_id": "%s", "room_id": "%s",
                 "checkin": "2027-04-10", "checkout": "2027-04-12", "guests": 2, "status": "new"}}""".formatted(f.listing(), code, f.room());
        return jdbc.queryForObject("""
                insert into webhook_log (platform, event_id, event_type, event_time, raw_body, payload, signature_valid, status, owner, updated_at)
                values ('booking_com', ?, 'reservation', now(), convert_to(?, 'UTF8'), cast(? as jsonb), true, ?, ?, now() - cast(? as interval))
                returning id""", Long.class, "evt-" + UUID.randomUUID(), body, body, status, owner, age);
    }

    /** A job as its owner's worker leaves it: claimed {@code token} times, its attempts written. */
    private long job(UUID owner, Fixture f, String status, int retryCount, String nextAttemptAt, long token) {
        long job = jdbc.queryForObject("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, status, started_at, retry_count, owner, lease_token, next_attempt_at)
                values (?, ?, 'push_availability', cast(? as jsonb), ?, now(), ?, ?, ?, %s)
                returning id""".formatted(nextAttemptAt), Long.class, f.agency().id(), f.mapping(),
                "{\"from\":\"" + DAY1 + "\",\"to\":\"" + DAY1.plusDays(2) + "\"}", status, retryCount, owner, token);
        int attempts = status.equals("pending") ? 0 : retryCount + 1;
        for (int n = 1; n <= attempts; n++) {
            boolean inFlight = n == attempts && status.equals("running");
            jdbc.update("insert into sync_attempts (sync_log_id, attempt_number, finished_at, outcome, http_status, error) values (?, ?, ?, ?, ?, ?)",
                    job, n, inFlight ? null : new Timestamp(System.currentTimeMillis()), inFlight ? null : "transient_failure",
                    inFlight ? null : 503, inFlight ? null : "HTTP 503");
        }
        return job;
    }

    private Map<String, Object> row(String table, long id) {
        return jdbc.queryForMap("select status, owner, " + (table.equals("sync_logs") ? "lease_token" : "0 as lease_token")
                + " from " + table + " where id = ?", id);
    }

    @Test
    void aDeadInstancesQueuedWebhooksAndJobsAreTakenBackWithinTwoHeartbeatsButALiveInstancesAreNot() {
        Fixture hotel = bookingFixture();
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        UUID crashed = crashedInstance();
        UUID live = liveInstance();
        long deadWebhook = queuedWebhook(crashed, hotel);
        long deadRunning = job(crashed, f, "running", 0, "null", 1);
        long deadRetrying = job(crashed, f, "retrying", 1, "now() - interval '1 second'", 2);
        long deadPending = job(crashed, f, "pending", 0, "null", 0);
        long liveWebhook = queuedWebhook(live, hotel);
        long liveRunning = job(live, f, "running", 0, "null", 1);
        long liveRetrying = job(live, f, "retrying", 1, "now() - interval '1 second'", 2);
        long livePending = job(live, f, "pending", 0, "null", 0);
        Map<String, Object> liveWebhookBefore = row("webhook_log", liveWebhook);
        List<Map<String, Object>> liveJobsBefore = List.of(row("sync_logs", liveRunning), row("sync_logs", liveRetrying), row("sync_logs", livePending));

        // within two heartbeats, every row of the crashed instance belongs to this one (the live one keeps beating)
        await().atMost(properties.heartbeatInterval().multipliedBy(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            beat(live);
            assertThat(jdbc.queryForList("select owner from webhook_log where id = ? union all select owner from sync_logs where id in (?, ?, ?)",
                    UUID.class, deadWebhook, deadRunning, deadRetrying, deadPending)).containsOnly(instances.id()).hasSize(4);
        });
        // ... and is processed
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            beat(live);
            assertThat(row("webhook_log", deadWebhook)).containsEntry("status", "processed");
            assertThat(List.of(status(deadRunning), status(deadRetrying), status(deadPending))).containsOnly("succeeded");
        });
        // the attempt the crashed worker left in flight is closed as abandoned; the retry it waited for is counted
        assertThat(outcomes(deadRunning)).containsExactly("transient_failure", "succeeded");
        assertThat(retryCount(deadRetrying)).isEqualTo(2);
        // each taken-back job pushed once (a push is one PUT per range of equal days)
        for (long job : List.of(deadRunning, deadRetrying, deadPending)) {
            assertThat(jdbc.queryForObject("select count(*) from sync_attempts where sync_log_id = ? and outcome = 'succeeded'",
                    Integer.class, job)).as("succeeded attempts of job %d", job).isEqualTo(1);
        }
        // a push of the fixture's calendar is two PUTs (two ranges); the three jobs share one mapping, so after the
        // first the delta store leaves nothing to send (two running at once may both send it): one to three whole pushes
        assertThat(CHANNELS.findAll(putRequestedFor(urlPathMatching(airbnbPath(f)))).size()).as("whole pushes").isIn(2, 4, 6);

        // the live instance's queue was never touched: same status, owner and token
        beat(live);
        assertThat(row("webhook_log", liveWebhook)).isEqualTo(liveWebhookBefore);
        assertThat(List.of(row("sync_logs", liveRunning), row("sync_logs", liveRetrying), row("sync_logs", livePending))).isEqualTo(liveJobsBefore);
    }

    @Test
    void theSweepTakesEveryWebhookRowNoLiveInstanceHoldsAndLeavesTheRest() {
        Fixture hotel = bookingFixture();
        UUID live = liveInstance();
        UUID crashed = crashedInstance();
        // silent for over a week, still naming a waiting row: not forgotten, so the sweep finds the row by its owner
        UUID longGone = otherInstance("gone-host", "now() - interval '8 days'");
        UUID longGoneIdle = otherInstance("gone-host", "now() - interval '8 days'");
        UUID deletedByHand = UUID.randomUUID(); // an owner no longer in instances at all
        Map<String, Long> taken = Map.of(
                "released by a full queue", webhook(null, hotel, "received", "0 seconds"),
                "of a crashed instance", webhook(crashed, hotel, "queued", "0 seconds"),
                "of an instance silent for a week", webhook(longGone, hotel, "queued", "0 seconds"),
                "of an owner deleted by hand, past the lease", webhook(deletedByHand, hotel, "queued", "6 minutes"),
                "a live instance's hand-over that failed (received past the grace)", webhook(live, hotel, "received", "20 seconds"),
                "queued with no owner past the lease (a rolling upgrade's)", webhook(null, hotel, "queued", "6 minutes"),
                "this instance's own, untouched for a lease (its exchange was lost)", webhook(instances.id(), hotel, "queued", "6 minutes"));
        Map<String, Long> left = Map.of(
                "a live instance's fresh hand-over", webhook(live, hotel, "received", "0 seconds"),
                "a live instance's queue, however old", webhook(live, hotel, "queued", "6 minutes"),
                "queued with no owner inside the lease", webhook(null, hotel, "queued", "0 seconds"));
        Map<String, Map<String, Object>> leftBefore = new java.util.HashMap<>();
        left.forEach((what, id) -> leftBefore.put(what, jdbc.queryForMap("select status, owner, updated_at from webhook_log where id = ?", id)));

        instances.forgetSilentInstances();
        assertThat(jdbc.queryForList("select id from instances where id in (?, ?)", UUID.class, longGone, longGoneIdle)).containsExactly(longGone);

        // the sweep (every 500 ms here) takes each, and it is processed
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            beat(live);
            taken.forEach((what, id) -> assertThat(jdbc.queryForObject("select status from webhook_log where id = ?", String.class, id))
                    .as(what).isEqualTo("processed"));
        });
        // ... and has swept again since, leaving the others as they were
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            beat(live);
            left.forEach((what, id) -> assertThat(jdbc.queryForMap("select status, owner, updated_at from webhook_log where id = ?", id))
                    .as(what).isEqualTo(leftBefore.get(what)));
        });
        jdbc.update("update webhook_log set status = 'failed', error = 'test over' where id = ?", left.get("queued with no owner inside the lease"));
    }

    @Test
    void aStaleWorkerCannotFinishAJobThatWasTakenOver() {
        Fixture f = airbnbFixture();
        // the new owner's push takes a while, so the stale worker reports while the job is running again
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        UUID paused = crashedInstance(); // e.g. a process frozen for longer than two heartbeats: it will wake up
        long job = job(paused, f, "running", 0, "null", 7);
        SyncStateMachine.Claim stale = new SyncStateMachine.Claim(job, 1, 0, 5, 7); // what its worker holds in memory

        // taken over: running again, now this instance's attempt 2 under a newer token
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> "running".equals(status(job))
                && instances.id().equals(row("sync_logs", job).get("owner")) && outcomes(job).size() == 2);
        assertThat((Long) row("sync_logs", job).get("lease_token")).isGreaterThan(7L);

        // the paused worker wakes up and reports its attempt: every update it tries changes nothing
        assertThat(states.fail(stale, 400, "stale worker: listing refused")).isFalse();
        assertThat(states.retrying(stale, 503, "stale worker: busy", 1000)).isFalse();
        assertThat(states.succeed(stale, 200)).isFalse();
        assertThat(states.resume(job, stale.token())).isEmpty();
        assertThat(status(job)).isEqualTo("running");

        // the new owner's outcome is the job's
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        assertThat(jdbc.queryForObject("select last_error is null or last_error not like 'stale worker%' from sync_logs where id = ?",
                Boolean.class, job)).isTrue();
        assertThat(outcomes(job)).containsExactly("transient_failure", "succeeded");
        assertThat(jdbc.queryForObject("select error from sync_attempts where sync_log_id = ? and attempt_number = 1", String.class, job))
                .startsWith("abandoned");
    }

    @Test
    void aJobInBackoffResumesAfterTakeoverWithItsRemainingDelay() {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        UUID crashed = crashedInstance();
        // retry 4 of 5 was due 8 s after attempt 4 failed; the instance died with 3 s of that delay left
        long job = job(crashed, f, "retrying", 3, "now() + interval '3 seconds'", 4);
        Timestamp due = jdbc.queryForObject("select next_attempt_at from sync_logs where id = ?", Timestamp.class, job);

        // not at once: while its delay runs, the job stays the dead instance's and waits
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofMillis(2800)).pollInterval(Duration.ofMillis(50))
                .until(() -> "retrying".equals(status(job)) && crashed.equals(row("sync_logs", job).get("owner")));
        // then within two heartbeats of the due time it runs, as retry 4: not from scratch
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        List<Timestamp> starts = attemptStarts(job);
        assertThat(starts).hasSize(5);
        Timestamp resumed = starts.get(4);
        assertThat(resumed).isAfterOrEqualTo(due)
                .isBefore(new Timestamp(due.getTime() + properties.heartbeatInterval().multipliedBy(2).toMillis()));
        assertThat(retryCount(job)).isEqualTo(4);
        assertThat(outcomes(job)).containsExactly("transient_failure", "transient_failure", "transient_failure", "transient_failure", "succeeded");
    }

    @Test
    void thisInstancesOwnJobUntouchedForAWholeLeaseIsRunAgainButAFreshOneIsLeftToItsWorker() {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        // its exchange was lost (no attempt nor backoff lasts a lease): the safety net takes it again
        long lost = job(instances.id(), f, "running", 0, "null", 3);
        jdbc.update("update sync_logs set updated_at = now() - interval '10 minutes' where id = ?", lost);
        // one of its workers is on it right now
        long busy = job(instances.id(), f, "running", 0, "null", 3);
        Map<String, Object> busyBefore = row("sync_logs", busy);

        awaitStatus(lost, "succeeded", Duration.ofSeconds(10));
        assertThat(outcomes(lost)).containsExactly("transient_failure", "succeeded");
        await().during(properties.heartbeatInterval().multipliedBy(2)).atMost(properties.heartbeatInterval().multipliedBy(3))
                .until(() -> row("sync_logs", busy).equals(busyBefore));
        jdbc.update("update sync_logs set status = 'failed', last_error = 'test over' where id = ?", busy);
    }

    @Test
    void thisHostsPreviousRunIsTakenBackAtStartUpWithoutWaitingForItsHeartbeatToAge() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        // a run on this host killed with kill -9 a moment ago: its heartbeat is still fresh, its process is gone
        Process killed = new ProcessBuilder("true").start();
        killed.waitFor();
        UUID previous = UUID.randomUUID();
        jdbc.update("insert into instances (id, host, pid, heartbeat_at) values (?, ?, ?, now())", previous, instances.host(), killed.pid());
        simulated.add(previous);
        // a run on this host that still runs (our parent process) is left alone
        UUID running = UUID.randomUUID();
        jdbc.update("insert into instances (id, host, pid, heartbeat_at) values (?, ?, ?, now())", running, instances.host(),
                ProcessHandle.current().parent().orElseThrow().pid());
        simulated.add(running);
        long job = job(previous, f, "pending", 0, "null", 0);

        assertThat(instances.stopEarlierRunsOnThisHost()).contains(previous).doesNotContain(running);
        // the next sweep takes its job at once, without waiting two heartbeats
        awaitStatus(job, "succeeded", properties.heartbeatInterval());
    }
}
