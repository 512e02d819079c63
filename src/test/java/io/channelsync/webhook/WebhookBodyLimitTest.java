package io.channelsync.webhook;

import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 1: the webhook body limit holds while reading, before Camel's platform-http could
 * buffer anything. Bodies are sent over a raw socket and generated on the fly (a 64 KiB chunk sent
 * again and again), so the test never holds them; the service runs in this JVM, so its heap is ours
 * to watch. Buffering a whole 1 GB body would need 1 GB of arrays far too large for the young
 * generation: the old generation's peak shows it.
 */
class WebhookBodyLimitTest extends IntegrationTest {

    private static final long ONE_GB = 1L << 30;
    private static final long FIFTY_MB = 50L << 20;
    private long lastLogId;

    @BeforeEach
    void lastRow() {
        lastLogId = jdbc.queryForObject("select coalesce(max(id), 0) from webhook_log", Long.class);
    }

    @Test
    void aOneGigabyteChunkedBodyIsCutAtTheLimitWith413AndTheHeapGrowsByLessThan50Mb() throws Exception {
        Heap heap = Heap.watch();

        Answer answer = sendChunked(AIRBNB_PATH, ONE_GB);

        assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        assertThat(answer.text()).contains("\"error\":\"payload_too_large\"");
        assertThat(answer.bytesSent()).as("bytes the client could send before the answer").isLessThan(64L << 20);
        assertThat(heap.peakGrowth()).as("old generation peak growth").isLessThan(FIFTY_MB);
        assertThat(heap.growthAfterGc()).as("heap in use after a GC").isLessThan(FIFTY_MB);
        assertThat(jdbc.queryForList("select status, error from webhook_log where id > ? and platform = 'airbnb'", lastLogId))
                .anySatisfy(row -> assertThat(row).containsEntry("status", "rejected")
                        .hasEntrySatisfying("error", e -> assertThat((String) e).contains("exceeds the limit")));
    }

    @Test
    void severalGigabyteBodiesInParallelLeaveTheServiceServing() throws Exception {
        Heap heap = Heap.watch();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String path = i % 2 == 0 ? AIRBNB_PATH : BOOKING_PATH;
                answers.add(pool.submit(() -> sendChunked(path, ONE_GB)));
            }
            for (Future<Answer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(413);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(heap.peakGrowth()).as("old generation peak growth").isLessThan(FIFTY_MB);

        // a genuine delivery is still taken
        TestData.Agency agency = data.agency();
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), data.property(agency.id()), listing);
        byte[] body = airbnbReservation(null, "reservation_acceptance_confirmation", "HMBIGPAR01", listing, "2026-12-01", "2026-12-03", 2, "accepted");
        assertThat(api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body)).statusCode()).isEqualTo(202);
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIsRefusedBeforeAnyBodyByteIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + AIRBNB_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + ONE_GB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer answer = readAnswer(socket.getInputStream(), 0);
            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
            assertThat(answer.text()).contains("payload_too_large");
        }
        assertThat(jdbc.queryForObject("select error from webhook_log where id > ? and status = 'rejected' order by id limit 1",
                String.class, lastLogId)).contains("1073741824 bytes exceeds the limit");
    }

    @Test
    void aCompressedWebhookIsRefusedWith415AndLoggedRejectedNeverInflated() {
        byte[] body = "{\"action\":\"test\"}".getBytes(StandardCharsets.UTF_8);
        var headers = new java.util.HashMap<>(airbnbHeaders(AIRBNB_NEW, now(), body));
        headers.put("Content-Encoding", "gzip");
        var response = api.postRaw(AIRBNB_PATH, body, headers);
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("unsupported_media_type");
        assertThat(jdbc.queryForList("select status, error, raw_body from webhook_log where id > ?", lastLogId))
                .singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("status", "rejected").containsEntry("raw_body", null);
                    assertThat((String) row.get("error")).contains("Content-Encoding gzip");
                });

        headers.put("Content-Encoding", "identity");
        assertThat(api.postRaw(AIRBNB_PATH, body, headers).statusCode()).as("identity is no encoding").isNotIn(415, 413);
    }

    /** What the service answered, and how much of the body the client had sent by then. */
    record Answer(int status, String text, long bytesSent) {
    }

    /** POSTs {@code total} bytes chunked, generated as they are sent; stops sending once the answer is in. */
    private Answer sendChunked(String path, long total) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            AtomicBoolean answered = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    while (sent.get() < total && !answered.get()) {
                        out.write(head);
                        out.write(chunk);
                        out.write('\r');
                        out.write('\n');
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the service closed the connection after answering: expected
                }
            });
            Answer answer = readAnswer(socket.getInputStream(), 0);
            answered.set(true);
            writer.get(30, TimeUnit.SECONDS);
            return new Answer(answer.status(), answer.text(), sent.get());
        }
    }

    /** Reads the status line, the headers and the Content-Length body (or to the end). */
    private static Answer readAnswer(InputStream in, long sent) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(headers.split(" ", 3)[1]);
        int length = headers.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(-1);
        String body;
        if (length >= 0) {
            body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } else if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder text = new StringBuilder();
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    break;
                }
                text.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                readLine(in);
            }
            body = text.toString();
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Answer(status, headers + body, sent);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /**
     * The heap of this JVM (the service's): the old generation's peak since {@link #watch}, where
     * arrays too large for the young generation land, and the heap in use after a GC.
     */
    private record Heap(List<MemoryPoolMXBean> oldGen, long oldBefore, long usedBefore) {

        static Heap watch() {
            List<MemoryPoolMXBean> old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains("Eden") && !p.getName().contains("Survivor"))
                    .toList();
            System.gc();
            old.forEach(MemoryPoolMXBean::resetPeakUsage);
            return new Heap(old, old.stream().mapToLong(p -> p.getUsage().getUsed()).sum(), usedAfterGc());
        }

        long peakGrowth() {
            return oldGen.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - oldBefore;
        }

        long growthAfterGc() {
            return usedAfterGc() - usedBefore;
        }

        private static long usedAfterGc() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
