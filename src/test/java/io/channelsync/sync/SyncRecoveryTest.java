package io.channelsync.sync;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class SyncRecoveryTest extends SyncTestSupport {

    @Autowired
    SyncRecovery recovery;

    @Test
    void aJobLeftRunningByADeadWorkerIsRecoveredExactlyOnceAndCompletes() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        // a worker claimed the job, started attempt 1, and died: its lease (updated_at) is 10 minutes old
        long job = jdbc.queryForObject("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, status, started_at, updated_at)
                values (?, ?, 'push_availability', cast(? as jsonb), 'running', now() - interval '10 minutes', now() - interval '10 minutes')
                returning id""", Long.class, f.agency().id(), f.mapping(),
                "{\"from\":\"" + DAY1 + "\",\"to\":\"" + DAY1.plusDays(2) + "\"}");
        jdbc.update("insert into sync_attempts (sync_log_id, attempt_number, started_at) values (?, 1, now() - interval '10 minutes')", job);
        // a job inside its lease is left alone
        long fresh = jdbc.queryForObject("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, status) values (?, ?, 'push_availability', '{}', 'running')
                returning id""", Long.class, f.agency().id(), f.mapping());

        // two sweeps at once (two instances): the job is taken by exactly one of them. The periodic sweep is
        // paused meanwhile: it would otherwise race the two and could take the job first.
        camel.getRouteController().stopRoute("sync-recovery");
        try {
            var a = CompletableFuture.supplyAsync(recovery::sweep);
            var b = CompletableFuture.supplyAsync(recovery::sweep);
            List<Long> recovered = new ArrayList<>(a.get());
            recovered.addAll(b.get());
            assertThat(recovered).containsOnlyOnce(job).doesNotContain(fresh);
            assertThat(recovery.sweep()).doesNotContain(job);
        } finally {
            camel.getRouteController().startRoute("sync-recovery");
        }

        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        assertThat(outcomes(job)).containsExactly("transient_failure", "succeeded");
        assertThat(jdbc.queryForObject("select error from sync_attempts where sync_log_id = ? and attempt_number = 1", String.class, job))
                .contains("abandoned");
        CHANNELS.verify(2, putRequestedFor(urlPathMatching(airbnbPath(f)))); // one push: its two ranges
        assertThat(status(fresh)).isEqualTo("running");
        jdbc.update("update sync_logs set status = 'failed' where id = ?", fresh);
    }
}
