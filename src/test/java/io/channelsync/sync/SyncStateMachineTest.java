package io.channelsync.sync;

import io.channelsync.instance.Instances;
import io.channelsync.sync.SyncStateMachine.Status;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SyncStateMachineTest extends SyncTestSupport {

    @Autowired
    SyncStateMachine states;

    @Autowired
    Instances instances;

    /** A pending job this instance holds but did not enqueue (so nothing else touches it: no sweep takes a live instance's job). */
    private long pendingJob() {
        Fixture f = airbnbFixture();
        return jdbc.queryForObject("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, owner) values (?, ?, 'push_availability', '{}', ?)
                returning id""", Long.class, f.agency().id(), f.mapping(), instances.id());
    }

    @Test
    void eachTransitionSetsItsTimestampAndWritesItsAttemptRowTogether() {
        long job = pendingJob();
        var claim = states.start(job).orElseThrow();
        assertThat(claim.attemptNumber()).isEqualTo(1);
        assertThat(status(job)).isEqualTo("running");
        assertThat(jdbc.queryForObject("select started_at is not null from sync_logs where id = ?", Boolean.class, job)).isTrue();
        assertThat(outcomes(job)).containsExactly("in_flight");

        assertThat(states.retrying(claim, 503, "boom", 60_000)).isTrue();
        assertThat(status(job)).isEqualTo("retrying");
        assertThat(outcomes(job)).containsExactly("transient_failure");
        assertThat(jdbc.queryForObject("select next_attempt_at between now() + interval '59 seconds' and now() + interval '61 seconds' "
                + "from sync_logs where id = ?", Boolean.class, job)).as("when the next attempt is due").isTrue();

        var retry = states.resume(job, claim.token()).orElseThrow();
        assertThat(retry.attemptNumber()).isEqualTo(2);
        assertThat(retryCount(job)).isEqualTo(1);
        assertThat(states.succeed(retry, 200)).isTrue();
        assertThat(status(job)).isEqualTo("succeeded");
        assertThat(outcomes(job)).containsExactly("transient_failure", "succeeded");
        assertThat(jdbc.queryForObject("select finished_at is not null from sync_logs where id = ?", Boolean.class, job)).isTrue();
    }

    @Test
    void illegalTransitionsAreRefusedAndNeverApplied() {
        long job = pendingJob();
        assertThat(states.transition(job, Status.pending, Status.succeeded)).isFalse();
        assertThat(states.transition(job, Status.pending, Status.deadlettered)).isFalse();
        assertThat(status(job)).isEqualTo("pending");
        // legal pair, wrong current state: the compare-and-set refuses it
        assertThat(states.succeed(new SyncStateMachine.Claim(job, 1, 0, 5, 0), 200)).isFalse();
        assertThat(states.resume(job, 0)).isEmpty();
        assertThat(status(job)).isEqualTo("pending");
        assertThat(outcomes(job)).isEmpty();

        states.succeed(states.start(job).orElseThrow(), 200);
        // succeeded is terminal, and a requeue only takes failed or deadlettered jobs
        assertThat(states.requeue(job)).isFalse();
        assertThat(states.transition(job, Status.succeeded, Status.pending)).isFalse();
        assertThat(status(job)).isEqualTo("succeeded");
    }

    @Test
    void manyWorkersRacingForOneJobHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            long job = pendingJob();
            int workers = 16;
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<SyncStateMachine.Claim>>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return states.start(job);
                }));
            }
            go.countDown();
            List<SyncStateMachine.Claim> winners = new ArrayList<>();
            for (var r : results) {
                r.get(10, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            pool.shutdown();
            assertThat(winners).as("round %d", round).hasSize(1);
            assertThat(outcomes(job)).hasSize(1);
            assertThat(status(job)).isEqualTo("running");
            states.succeed(winners.get(0), 200);
        }
    }
}
