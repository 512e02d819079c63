package io.channelsync.bench;

import com.sun.net.httpserver.HttpServer;
import io.channelsync.support.TestData;
import io.channelsync.sync.RetryProperties;
import io.channelsync.sync.SyncJobs;
import io.channelsync.sync.SyncTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 availability sync jobs against a channel stub that fails 20% of calls transiently (503):
 * every job must end succeeded or deadlettered, none stuck. WireMock (the suite's CHANNELS) proxies
 * the Airbnb calendar calls to a local stub that flips the coin per call. Runs with the test
 * profile's retry settings (50 ms initial delay, x2, 5 retries, so a chain of at most 1.55 s)
 * because the production chain (1+2+4+8+16 s) would only add waiting, not work. Same-run reference:
 * 1,000 jobs against the same stub failing 0% of calls. Prints figures; asserts no timings.
 * Run: {@code make bench} (or {@code mvn -Pbench test -Dtest=SyncThroughputBenchmark}).
 */
class SyncThroughputBenchmark extends SyncTestSupport {

    @Autowired
    SyncJobs jobs;

    @Autowired
    RetryProperties retry;

    @org.springframework.beans.factory.annotation.Value("${channel-sync.sync.consumers}")
    int consumers;

    static volatile double failureRate;

    @Test
    void tenThousandJobsWithTwentyPercentTransientFailuresAllEndSucceededOrDeadlettered() throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.setExecutor(Executors.newFixedThreadPool(8));
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            int status = ThreadLocalRandom.current().nextDouble() < failureRate ? 503 : 200;
            if (status == 503) {
                failures.incrementAndGet();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        stub.start();
        try {
            CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*"))
                    .willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + stub.getAddress().getPort() + "/stub")));
            int cores = Runtime.getRuntime().availableProcessors();

            failureRate = 0.0;
            Result reference = run(1_000);
            long refCalls = calls.getAndSet(0);
            failures.set(0);

            failureRate = 0.20;
            Result result = run(10_000);

            System.out.printf("%n=== SyncThroughputBenchmark (cores: %d, consumers: %d, retry %d ms x%.1f, %d retries) ===%n",
                    cores, consumers, retry.initialDelayMs(), retry.backoffMultiplier(), retry.maxRetries());
            System.out.printf("reference, 0%% failures: %d jobs in %.2f s = %.0f jobs/s (%d channel calls)%n",
                    reference.jobs, reference.wallSeconds, reference.jobs / reference.wallSeconds, refCalls);
            System.out.printf("20%% transient failures: %d jobs in %.2f s = %.0f jobs/s (%d channel calls, %d failed = %.1f%%)%n",
                    result.jobs, result.wallSeconds, result.jobs / result.wallSeconds, calls.get(), failures.get(),
                    100.0 * failures.get() / Math.max(1, calls.get()));
            System.out.printf("outcome: %s%n", result.statuses);
            System.out.printf("slowest job: %d ms from first attempt to finish, %d retries, its own backoff chain %d ms"
                            + " (slowest from trigger to finish, queue wait included: %d ms)%n",
                    result.slowestMs, result.slowestRetries, result.slowestChainMs, result.slowestIncludingQueueMs);
            assertThat(result.statuses.keySet()).isSubsetOf("succeeded", "deadlettered");
        } finally {
            stub.stop(0);
        }
    }

    record Result(int jobs, double wallSeconds, Map<String, Long> statuses, long slowestMs, int slowestRetries, long slowestChainMs,
                  long slowestIncludingQueueMs) {
    }

    private Result run(int count) {
        TestData.Agency agency = data.agency();
        String tag = "bench-" + UUID.randomUUID();
        jdbc.update("insert into properties (agency_id, name) select ?, ? || g from generate_series(1, ?) g", agency.id(), tag, count);
        jdbc.update("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id)
                select p.agency_id, p.id, 'airbnb', (100000000000000 + row_number() over () + (random() * 1e15)::bigint)::text
                from properties p where p.agency_id = ?""", agency.id());
        jdbc.update("""
                insert into availability (property_id, day, available, min_stay, price)
                select id, ?, true, 2, 100 from properties where agency_id = ?""", DAY1, agency.id());
        String payload = "{\"from\":\"" + DAY1 + "\",\"to\":\"" + DAY1 + "\",\"reason\":\"benchmark\"}";
        List<Long> ids = jdbc.queryForList("""
                insert into sync_logs (agency_id, mapping_id, operation, payload, max_retries)
                select agency_id, id, 'push_availability', cast(? as jsonb), ? from channel_mappings where agency_id = ?
                returning id""", Long.class, payload, retry.maxRetries(), agency.id());
        long start = System.nanoTime();
        ids.forEach(jobs::enqueue);
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.queryForObject(
                "select count(*) from sync_logs where agency_id = ? and status not in ('succeeded', 'deadlettered', 'failed')",
                Long.class, agency.id()) == 0);
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Long> statuses = new java.util.TreeMap<>();
        jdbc.queryForList("select status, count(*) as n from sync_logs where agency_id = ? group by status", agency.id())
                .forEach(r -> statuses.put((String) r.get("status"), ((Number) r.get("n")).longValue()));
        Map<String, Object> slowest = jdbc.queryForMap("""
                select (extract(epoch from finished_at - started_at) * 1000)::bigint as ms, retry_count,
                       (select (extract(epoch from max(finished_at - triggered_at)) * 1000)::bigint from sync_logs where agency_id = ?) as queued_ms
                from sync_logs where agency_id = ? order by finished_at - started_at desc limit 1""", agency.id(), agency.id());
        int retries = ((Number) slowest.get("retry_count")).intValue();
        long chain = 0;
        for (int i = 1; i <= retries; i++) {
            chain += retry.delayBeforeRetry(i);
        }
        return new Result(count, wall, statuses, ((Number) slowest.get("ms")).longValue(), retries, chain,
                ((Number) slowest.get("queued_ms")).longValue());
    }
}
