package io.channelsync.bench;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest throughput of signed Airbnb webhooks over real HTTP: {@code bench.connections} (64)
 * concurrent clients for {@code bench.seconds} (30), each sending a distinct signed event and
 * waiting for the answer. Prints accepted/s, p50/p99 latency and checks that every 202 has its
 * committed row. Reference in the same run: pgbench inserting the same rows into the same
 * PostgreSQL with the same number of clients. Measures, does not assert timings.
 * <p>
 * {@code make bench} or {@code mvn -Pbench test -Dtest=WebhookIngestBenchmark -Dbench.seconds=10}
 */
class WebhookIngestBenchmark extends IntegrationTest {

    private static final String SECRET = "test-airbnb-secret-new";
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final int connections = Integer.getInteger("bench.connections", 64);

    @Autowired
    DataSource dataSource;

    @Test
    void signedWebhookIngest() throws Exception {
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService io = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
        URI uri = URI.create(api.baseUrl() + "/api/v1/webhooks/airbnb");
        AtomicLong sequence = new AtomicLong();

        // warm-up, then the measured run
        drive(http, uri, "warm-" + run, sequence, Math.min(3, seconds));
        long from = System.nanoTime();
        List<long[]> results = drive(http, uri, run, sequence, seconds);
        double elapsed = (System.nanoTime() - from) / 1e9;
        io.shutdownNow();

        long accepted = results.stream().mapToLong(r -> r[0]).sum();
        long refused = results.stream().mapToLong(r -> r[1]).sum();
        long[] latencies = results.stream().flatMapToLong(r -> Arrays.stream(r, 2, r.length).filter(v -> v > 0)).sorted().toArray();
        Integer rows = jdbc.queryForObject("select count(*) from webhook_log where platform = 'airbnb' and event_id like ? "
                + "and status in ('received', 'queued', 'processed')", Integer.class, run + "-%");

        double pgbenchTps = pgbench(run, seconds);
        double rate = accepted / elapsed;
        System.out.printf("""

                === WebhookIngestBenchmark (%d processors, %d connections, %d s) ===
                signed webhooks over HTTP: %d accepted (202), %d other answers, %.0f accepted/s
                latency: p50 %.1f ms, p99 %.1f ms
                every 202 has its row: %s (%d rows for %d accepted)
                reference, pgbench plain INSERT of the same rows, %d clients: %.0f inserts/s
                ratio webhook ingest / plain insert: %.2f
                %n""", Runtime.getRuntime().availableProcessors(), connections, seconds, accepted, refused, rate,
                percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, rows != null && rows == accepted, rows, accepted,
                connections, pgbenchTps, pgbenchTps > 0 ? rate / pgbenchTps : Double.NaN);
    }

    /** Each client: {accepted, refused, latency ns...}. */
    private List<long[]> drive(HttpClient http, URI uri, String run, AtomicLong sequence, int seconds) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            futures.add(clients.submit(() -> {
                long[] out = new long[2 + 200_000];
                int n = 2;
                while (System.nanoTime() < deadline && n < out.length) {
                    byte[] body = ("{\"action\":\"test_notification\",\"event_id\":\"" + run + "-" + sequence.incrementAndGet()
                            + "\",\"note\":\"Zoë – bench\"}").getBytes(StandardCharsets.UTF_8);
                    long t = Instant.now().getEpochSecond();
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("X-Airbnb-Signature", "t=" + t + ",v1=" + hmac(t, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long start = System.nanoTime();
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    out[n++] = System.nanoTime() - start;
                    out[response.statusCode() == 202 ? 0 : 1]++;
                }
                return out;
            }));
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> f : futures) {
            results.add(f.get());
        }
        clients.shutdown();
        return results;
    }

    /** pgbench on the same database: the same row the intake inserts, one INSERT per transaction. */
    private double pgbench(String run, int seconds) throws Exception {
        String url;
        try (var connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        }
        URI db = URI.create(url.substring("jdbc:".length()));
        String body = "{\"action\":\"test_notification\",\"event_id\":\"x\",\"note\":\"Zoë – bench\"}".replace("'", "''");
        Path script = Files.createTempFile("webhook-insert", ".sql");
        // status processed so the service's recovery sweep leaves the reference rows alone
        Files.writeString(script, """
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid, status, processed_at) \
                values ('airbnb', '%s-pg-' || :client_id || '-' || random(), 'test_notification', now(), \
                '{"Content-Type": "application/json", "X-Airbnb-Signature": "t=1767225600,v1=59152c28272c216dba0f54f0e1b159180ddd52a9aaf351b3797b54c20352c20c"}', \
                convert_to('%s', 'UTF8'), '%s'::jsonb, true, 'processed', now()) \
                on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing;
                """.formatted(run, body, body));
        Process process = new ProcessBuilder("pgbench", "-n", "-f", script.toString(), "-c", Integer.toString(connections),
                "-j", "2", "-T", Integer.toString(seconds), "-h", db.getHost(), "-p", Integer.toString(db.getPort()),
                "-U", "postgres", db.getPath().substring(1)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        System.out.println(output);
        return output.lines().filter(l -> l.startsWith("tps")).findFirst()
                .map(l -> Double.parseDouble(l.replaceAll("tps = ([0-9.]+).*", "$1"))).orElse(0.0);
    }

    private static String hmac(long t, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static double percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
