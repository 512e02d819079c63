import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The out-of-process side of {@code bench/ingest.sh} (JDK only: {@code java bench/ChannelBench.java MODE ...}).
 * <ul>
 *   <li>{@code stub PORT}: the channels on 127.0.0.1: Booking.com's token exchange and OTA_HotelAvailNotif (the room,
 *       {@code InvTypeCode}, names the hotel: room = hotel * 100 + 1), Airbnb's listing read
 *       ({@code GET /v2/listings/{id}}: every listing is host {@value #HOST}'s) and range calendar PUTs
 *       ({@code /v2/calendars/{listing}/{start}/{end}}). Answers 200 (503 for the hotels set failing), and records
 *       when each push arrived ({@code GET /_bench/arrivals}: one line "hotel|first-day epoch-micros" per push).</li>
 *   <li>{@code map BASE OPERATOR_KEY N}: through the API, one agency with an Airbnb connection (host {@value #HOST})
 *       and a Booking.com connection (hotels 70000000..+N-1), N properties, each mapped to Airbnb listing
 *       90000000+i (the listings of ../shared/bench/gen_requests.py) and Booking.com hotel 70000000+i.</li>
 *   <li>{@code propagation BASE SECRET STUB RATE SECONDS}: RATE signed Airbnb booking webhooks a second, open loop;
 *       for each, the time from its 202 to its Booking.com push arriving at the stub: p50, p99.</li>
 *   <li>{@code backoff BASE SECRET STUB}: a healthy propagation run alone, then again with 1,000 sync jobs in
 *       backoff (their hotels answer 503): how much later the healthy pushes arrive.</li>
 * </ul>
 */
public class ChannelBench {

    static final int LISTING_BASE = 90_000_000, HOTEL_BASE = 70_000_000;
    static final String HOST = "424242";
    /** The room of the first (room-level) message; the XML names no hotel (the published sample has no HotelCode). */
    static final Pattern ROOM = Pattern.compile("InvTypeCode=\"(\\d+)\"");
    static final Pattern START = Pattern.compile("Start=\"([0-9-]+)\"");
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "stub" -> stub(Integer.parseInt(args[1]));
            case "map" -> map(args[1], args[2], Integer.parseInt(args[3]));
            case "propagation" -> {
                Run run = propagation(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), 0, 500, "prop", 0);
                System.out.println("propagation, " + args[4] + " bookings/s for " + args[5] + " s: " + run);
            }
            case "backoff" -> backoff(args[1], args[2], args[3]);
            default -> throw new IllegalArgumentException("mode: stub | map | propagation | backoff");
        }
    }

    // ---------------------------------------------------------------- the channel stub

    static final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    static final AtomicLong pushes = new AtomicLong(), refused = new AtomicLong();
    static volatile int failingFrom = -1, failingTo = -1;

    static void stub(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/booking_com/token-based-authentication/exchange",
                x -> answer(x, 200, "{\"jwt\":\"bench-token\",\"expires_in\":3600}"));
        server.createContext("/booking_com/hotels/ota/OTA_HotelAvailNotif", x -> {
            long at = micros();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher room = ROOM.matcher(body), start = START.matcher(body);
            pushes.incrementAndGet();
            int code = room.find() ? (int) (Long.parseLong(room.group(1)) / 100) : -1;
            if (code >= failingFrom && code <= failingTo) {
                refused.incrementAndGet();
                answer(x, 503, "");
                return;
            }
            if (start.find()) {
                arrivals.putIfAbsent(code + "|" + start.group(1), at);
            }
            answer(x, 200, "<OTA_HotelAvailNotifRS xmlns=\"http://www.opentravel.org/OTA/2003/05\"><Success/></OTA_HotelAvailNotifRS>");
        });
        server.createContext("/airbnb/v2/listings/", x -> { // ownership check of a new mapping: the bench host's listing
            String listing = x.getRequestURI().getPath().replaceFirst(".*/", "");
            answer(x, 200, "{\"listing\":{\"id\":" + listing + ",\"user_id\":" + HOST + "}}");
        });
        server.createContext("/airbnb/", x -> {
            x.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            answer(x, 200, "{}");
        });
        server.createContext("/_bench/arrivals", x -> {
            StringBuilder out = new StringBuilder();
            arrivals.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
            answer(x, 200, out.toString());
        });
        server.createContext("/_bench/counts", x -> answer(x, 200, pushes.get() + " " + refused.get()));
        server.createContext("/_bench/failing", x -> { // ?from=H&to=H, or no query: none fails
            String q = x.getRequestURI().getQuery();
            Map<String, String> p = new ConcurrentHashMap<>();
            if (q != null) {
                for (String kv : q.split("&")) {
                    p.put(kv.split("=")[0], kv.split("=")[1]);
                }
            }
            failingFrom = Integer.parseInt(p.getOrDefault("from", "-1"));
            failingTo = Integer.parseInt(p.getOrDefault("to", "-1"));
            refused.set(0);
            answer(x, 200, "ok");
        });
        server.start();
        System.out.println("channel stub on 127.0.0.1:" + port);
    }

    static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    // ---------------------------------------------------------------- mapping the listings through the API

    static void map(String base, String operatorKey, int n) throws Exception {
        String agency = call(base, operatorKey, "POST", "/api/v1/agencies", "{\"name\":\"bench " + Instant.now() + "\"}", 201);
        String key = field(agency, "key");
        String airbnb = field(call(base, key, "POST", "/api/v1/channel-connections", "{\"platform\":\"airbnb\",\"account_id\":\""
                + HOST + "\",\"credentials\":{\"oauth_token\":\"bench-host-token\"}}", 201), "id");
        StringBuilder hotels = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hotels.append(i == 0 ? "\"" : ",\"").append(HOTEL_BASE + i).append('"');
        }
        String bookingCom = field(call(base, key, "POST", "/api/v1/channel-connections", "{\"platform\":\"booking_com\",\"hotel_ids\":["
                + hotels + "]}", 201), "id");
        var pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    String property = field(call(base, key, "POST", "/api/v1/properties", "{\"name\":\"bench property " + k + "\"}", 201), "id");
                    call(base, key, "POST", "/api/v1/channel-mappings", "{\"property_id\":\"" + property + "\",\"connection_id\":\""
                            + airbnb + "\",\"platform\":\"airbnb\",\"listing_id\":\"" + (LISTING_BASE + k) + "\"}", 201);
                    call(base, key, "POST", "/api/v1/channel-mappings", "{\"property_id\":\"" + property + "\",\"connection_id\":\""
                            + bookingCom + "\",\"platform\":\"booking_com\",\"listing_id\":\"" + (HOTEL_BASE + k) + "\",\"room_id\":\""
                            + (HOTEL_BASE + k) + "01\"}", 201);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
        System.out.println("mapped " + n + " properties: Airbnb listings " + LISTING_BASE + ".." + (LISTING_BASE + n - 1)
                + ", Booking.com hotels " + HOTEL_BASE + ".." + (HOTEL_BASE + n - 1));
    }

    static String call(String base, String key, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------- propagation: 202 -> push at the other channel

    record Run(int sent, int accepted, int arrived, double p50, double p99, double max) {
        @Override
        public String toString() {
            return String.format("%d sent, %d answered 202, %d pushes arrived; 202 -> Booking.com push p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                    sent, accepted, arrived, p50, p99, max);
        }
    }

    /** Bookings on properties [first, first+count) of the mapped ones, RATE a second, each on its own nights. */
    static Run propagation(String base, String secret, String stub, int rate, int seconds, int first, int count, String tag, int slot)
            throws Exception {
        return propagation(base, secret, stub, rate, seconds, first, count, tag, slot, true);
    }

    static Run propagation(String base, String secret, String stub, int rate, int seconds, int first, int count, String tag, int slot,
                           boolean awaitPushes) throws Exception {
        int total = rate * seconds;
        long[] accepted = new long[total];
        String[] keys = new String[total];
        List<CompletableFuture<?>> sent = new ArrayList<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        String run = tag + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        LocalDate firstNight = LocalDate.of(2028, 1, 1).plusDays(200L * slot); // each run its own nights: one push per booking
        long start = System.nanoTime();
        for (int k = 0; k < total; k++) {
            int b = k;
            long due = start + (long) (k * 1e9 / rate);
            sent.add(CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(Math.max(0, due - System.nanoTime()),
                    TimeUnit.NANOSECONDS, clock)).thenCompose(v -> {
                int property = first + b % count;
                LocalDate checkIn = firstNight.plusDays(4L * (b / count));
                keys[b] = (HOTEL_BASE + property) + "|" + checkIn;
                return send(base, secret, booking(run + b, LISTING_BASE + property, checkIn))
                        .thenAccept(status -> accepted[b] = status == 202 ? micros() : 0);
            }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        clock.shutdown();
        int ok = (int) Arrays.stream(accepted).filter(t -> t > 0).count();
        // wait for the last pushes: until every accepted booking's push arrived, or 60 s more
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(awaitPushes ? 60 : 0);
        Map<String, Long> arrived;
        do {
            Thread.sleep(250);
            arrived = arrivals(stub);
        } while (countArrived(arrived, keys, accepted) < ok && System.nanoTime() < deadline);
        List<Double> latencies = new ArrayList<>();
        for (int k = 0; k < total; k++) {
            Long at = arrived.get(keys[k]);
            if (accepted[k] > 0 && at != null) {
                latencies.add(Math.max(0, at - accepted[k]) / 1000.0);
            }
        }
        latencies.sort(null);
        return new Run(total, ok, latencies.size(), pct(latencies, 50), pct(latencies, 99),
                latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
    }

    static int countArrived(Map<String, Long> arrived, String[] keys, long[] accepted) {
        int n = 0;
        for (int k = 0; k < keys.length; k++) {
            if (accepted[k] > 0 && arrived.containsKey(keys[k])) {
                n++;
            }
        }
        return n;
    }

    static Map<String, Long> arrivals(String stub) throws Exception {
        Map<String, Long> out = new ConcurrentHashMap<>();
        http.send(HttpRequest.newBuilder(URI.create(stub + "/_bench/arrivals")).build(), HttpResponse.BodyHandlers.ofString())
                .body().lines().forEach(l -> out.put(l.split(" ")[0], Long.parseLong(l.split(" ")[1])));
        return out;
    }

    static String booking(String code, int listing, LocalDate checkIn) {
        return "{\"action\":\"reservation_acceptance_confirmation\",\"reservation\":{\"confirmation_code\":\"HM" + code
                + "\",\"listing_id\":" + listing + ",\"start_date\":\"" + checkIn + "\",\"end_date\":\"" + checkIn.plusDays(3)
                + "\",\"nights\":3,\"number_of_guests\":2,\"status_type\":\"accept\",\"expected_payout_amount_accurate\":\"512.40\","
                + "\"host_currency\":\"EUR\",\"guest_first_name\":\"Ana\",\"guest_last_name\":\"Lee\"}}";
    }

    static CompletableFuture<Integer> send(String base, String secret, String body) {
        try {
            long t = Instant.now().getEpochSecond();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks/airbnb"))
                    .header("Content-Type", "application/json").header("X-Airbnb-Signature", "t=" + t + ",v1=" + signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode).exceptionally(e -> -1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // ---------------------------------------------------------------- backoff never blocks

    static void backoff(String base, String secret, String stub) throws Exception {
        Run alone = propagation(base, secret, stub, 20, 15, 250, 250, "calm", 1);
        System.out.println("healthy bookings alone (20/s for 15 s): " + alone);
        control(stub, "/_bench/failing?from=" + HOTEL_BASE + "&to=" + (HOTEL_BASE + 249));
        // 1,000 bookings on the failing hotels: 1,000 sync jobs answered 503, then in backoff (1 s, 2 s, 4 s, 8 s, 16 s);
        // the healthy run starts once each has failed its first attempt, so their retries fall inside it
        Run failing = propagation(base, secret, stub, 100, 10, 0, 250, "fail", 2, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Long.parseLong(control(stub, "/_bench/counts").split(" ")[1]) < failing.accepted() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String counts = control(stub, "/_bench/counts");
        Run busy = propagation(base, secret, stub, 20, 15, 250, 250, "busy", 3);
        String after = control(stub, "/_bench/counts");
        control(stub, "/_bench/failing");
        System.out.println("failing bookings (100/s for 10 s): " + failing.accepted() + " answered 202; 503s answered by the time the "
                + "healthy run started: " + counts.split(" ")[1] + ", by its end: " + after.split(" ")[1]);
        System.out.println("healthy bookings with 1,000 jobs in backoff (20/s for 15 s): " + busy);
        System.out.printf("backoff delays a healthy job by: p50 %+.0f ms, p99 %+.0f ms (goal: < 100 ms; %d cores)%n",
                busy.p50() - alone.p50(), busy.p99() - alone.p99(), Runtime.getRuntime().availableProcessors());
    }

    static String control(String stub, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
