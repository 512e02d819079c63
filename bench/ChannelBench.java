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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 *   <li>{@code poll STUB RATE SECONDS [WARM]}: after a warm-up round of WARM seconds (0), RATE new Booking.com reservations a second put in the stub's reservation queue
 *       ({@code GET /hotels/ota/OTA_HotelResNotif}, acknowledged by {@code POST} to the same path); for each, the time
 *       from the poll that fetched it to its Airbnb calendar PUT arriving at the stub, and from its queueing to that PUT
 *       (which adds the wait for the next poll): p50, p99.</li>
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
            case "poll" -> poll(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 0);
            default -> throw new IllegalArgumentException("mode: stub | map | propagation | backoff | poll");
        }
    }

    // ---------------------------------------------------------------- the channel stub

    static final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    static final AtomicLong pushes = new AtomicLong(), refused = new AtomicLong();
    static volatile int failingFrom = -1, failingTo = -1;
    /** Booking.com's reservation queue: reservation id -> its OTA_HotelReservation, until acknowledged. */
    static final Map<String, String> reservations = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** "listing|first day" -> when an Airbnb calendar PUT for it arrived; "hotel|check-in" -> when a poll first fetched it. */
    static final Map<String, Long> airbnbArrivals = new ConcurrentHashMap<>(), fetched = new ConcurrentHashMap<>();
    static final Pattern CALENDAR = Pattern.compile("/airbnb/v2/calendars/(\\d+)/([0-9-]+)/[0-9-]+");
    static final Pattern RES_ID = Pattern.compile("ResID_Value=\"(\\d+)\"");

    static void stub(int port) throws IOException {
        // TCP_NODELAY: the JDK server writes an answer's headers and body apart, and without it Nagle's algorithm
        // held the body until the client's delayed ACK, 40 ms on every call to the stub (read before the first create)
        System.setProperty("sun.net.httpserver.nodelay", "true");
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
            long at = micros();
            x.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            Matcher calendar = CALENDAR.matcher(x.getRequestURI().getPath());
            if ("PUT".equals(x.getRequestMethod()) && calendar.matches()) {
                airbnbArrivals.putIfAbsent(calendar.group(1) + "|" + calendar.group(2), at);
            }
            answer(x, 200, "{}");
        });
        server.createContext("/booking_com/hotels/ota/OTA_HotelResModifyNotif", x -> answer(x, 200, otaQueue("OTA_HotelResModifyNotifRQ", "")));
        server.createContext("/booking_com/hotels/ota/OTA_HotelResNotif", x -> {
            if ("POST".equals(x.getRequestMethod())) { // the acknowledgement: the reservation leaves the queue
                Matcher id = RES_ID.matcher(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                while (id.find()) { // one acknowledgement may name several messages (the HotelReservationID tag repeated)
                    reservations.remove(id.group(1));
                }
                answer(x, 200, "");
                return;
            }
            long at = micros();
            StringBuilder held = new StringBuilder();
            reservations.values().forEach(r -> {
                held.append(r);
                Matcher hotel = Pattern.compile("HotelCode=\"(\\d+)\"").matcher(r), night = Pattern.compile("EffectiveDate=\"([0-9-]+)\"").matcher(r);
                if (hotel.find() && night.find()) {
                    fetched.putIfAbsent(hotel.group(1) + "|" + night.group(1), at);
                }
            });
            answer(x, 200, otaQueue("OTA_HotelResNotifRQ", held.toString()));
        });
        server.createContext("/_bench/reservation", x -> { // ?id=R&hotel=H&checkIn=D: Booking.com queues a new reservation
            Map<String, String> p = query(x);
            reservations.put(p.get("id"), reservation(p.get("id"), p.get("hotel"), LocalDate.parse(p.get("checkIn"))));
            answer(x, 200, "ok");
        });
        server.createContext("/_bench/poll-arrivals", x -> { // "F hotel|check-in micros" (fetched) and "A listing|day micros"
            StringBuilder out = new StringBuilder();
            fetched.forEach((k, v) -> out.append("F ").append(k).append(' ').append(v).append('\n'));
            airbnbArrivals.forEach((k, v) -> out.append("A ").append(k).append(' ').append(v).append('\n'));
            answer(x, 200, out.toString());
        });
        server.createContext("/_bench/arrivals", x -> {
            StringBuilder out = new StringBuilder();
            arrivals.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
            answer(x, 200, out.toString());
        });
        server.createContext("/_bench/counts", x -> answer(x, 200, pushes.get() + " " + refused.get()));
        server.createContext("/_bench/failing", x -> { // ?from=H&to=H, or no query: none fails
            Map<String, String> p = query(x);
            failingFrom = Integer.parseInt(p.getOrDefault("from", "-1"));
            failingTo = Integer.parseInt(p.getOrDefault("to", "-1"));
            refused.set(0);
            answer(x, 200, "ok");
        });
        server.start();
        System.out.println("channel stub on 127.0.0.1:" + port);
    }

    static Map<String, String> query(HttpExchange x) {
        String q = x.getRequestURI().getQuery();
        Map<String, String> p = new ConcurrentHashMap<>();
        if (q != null) {
            for (String kv : q.split("&")) {
                p.put(kv.split("=")[0], kv.split("=")[1]);
            }
        }
        return p;
    }

    /** Booking.com's answer to GET OTA_HotelResNotif: the queued reservations (the shape of our new-reservation.xml fixture). */
    static String otaQueue(String root, String held) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + root + " xmlns=\"http://www.opentravel.org/OTA/2003/05\" TimeStamp=\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\" Target=\"Test\" Version=\"2.001\"><HotelReservations>" + held
                + "</HotelReservations></" + root + ">";
    }

    /** One new single-room reservation of three nights at HOTEL's room (hotel * 100 + 1), as in new-reservation.xml. */
    static String reservation(String id, String hotel, LocalDate checkIn) {
        StringBuilder rates = new StringBuilder();
        for (int n = 0; n < 3; n++) {
            rates.append("<RoomRate EffectiveDate=\"").append(checkIn.plusDays(n)).append("\" RatePlanCode=\"1\"><Rates><Rate>")
                    .append("<Total AmountAfterTax=\"12000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/></Rate></Rates></RoomRate>");
        }
        return "<HotelReservation><RoomStays><RoomStay IndexNumber=\"1\"><RoomTypes><RoomType RoomTypeCode=\"" + hotel + "01\"/></RoomTypes>"
                + "<RoomRates>" + rates + "</RoomRates><GuestCounts><GuestCount Count=\"2\"/></GuestCounts>"
                + "<Total AmountAfterTax=\"36000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/><BasicPropertyInfo HotelCode=\"" + hotel + "\"/>"
                + "</RoomStay></RoomStays><ResGuests><ResGuest><Profiles><ProfileInfo><Profile><Customer><PersonName><GivenName>Ana</GivenName>"
                + "<Surname>Lee</Surname></PersonName></Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests><ResGlobalInfo>"
                + "<Total AmountAfterTax=\"36000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/><HotelReservationIDs><HotelReservationID ResID_Value=\""
                + id + "\" ResID_Date=\"" + LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + "\"/></HotelReservationIDs>"
                + "</ResGlobalInfo></HotelReservation>";
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

    // ---------------------------------------------------------------- Booking.com poll -> Airbnb push

    /**
     * A warm-up round (WARM seconds at RATE, its figures printed but not the result: the poll's own code, XML reading
     * and the Airbnb push, is still being compiled by the JIT, a third of the service's CPU in a cold first minute),
     * then the measured round.
     */
    static void poll(String stub, int rate, int seconds, int warmSeconds) throws Exception {
        if (warmSeconds > 0) {
            System.out.println("warm-up (JIT), not the figure: " + pollRound(stub, rate, warmSeconds, LocalDate.of(2030, 1, 1)));
        }
        System.out.println(pollRound(stub, rate, seconds, LocalDate.of(2029, 1, 1)));
    }

    /** RATE new Booking.com reservations a second on the mapped hotels; then, per reservation, poll -> Airbnb PUT. */
    static String pollRound(String stub, int rate, int seconds, LocalDate firstNight) throws Exception {
        int total = rate * seconds, count = 500;
        long[] queued = new long[total];
        String[] hotelKeys = new String[total], listingKeys = new String[total];
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L);
        long start = System.nanoTime();
        for (int b = 0; b < total; b++) {
            long wait = start + (long) (b * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int property = b % count;
            LocalDate checkIn = firstNight.plusDays(4L * (b / count));
            hotelKeys[b] = (HOTEL_BASE + property) + "|" + checkIn;
            listingKeys[b] = (LISTING_BASE + property) + "|" + checkIn;
            queued[b] = micros();
            control(stub, "/_bench/reservation?id=" + run + String.format("%05d", b) + "&hotel=" + (HOTEL_BASE + property) + "&checkIn=" + checkIn);
        }
        // the rate reached, printed: a generator that falls behind asks for 50/s and measures a smaller batch per GET
        double queuedPerSecond = total / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Map<String, Long> f = new ConcurrentHashMap<>(), a = new ConcurrentHashMap<>();
        do {
            Thread.sleep(500);
            f.clear();
            a.clear();
            control(stub, "/_bench/poll-arrivals").lines().forEach(l -> {
                String[] w = l.split(" ");
                (w[0].equals("F") ? f : a).put(w[1], Long.parseLong(w[2]));
            });
        } while (Arrays.stream(listingKeys).filter(a::containsKey).count() < total && System.nanoTime() < deadline);
        List<Double> fromPoll = new ArrayList<>(), fromQueue = new ArrayList<>();
        // per GET (its messages share the stub's fetch time): how many, and when the last of them was pushed
        Map<Long, long[]> gets = new TreeMap<>();
        for (int b = 0; b < total; b++) {
            Long pushed = a.get(listingKeys[b]), polled = f.get(hotelKeys[b]);
            if (pushed != null && polled != null) {
                fromPoll.add(Math.max(0, pushed - polled) / 1000.0);
                fromQueue.add(Math.max(0, pushed - queued[b]) / 1000.0);
                long[] get = gets.computeIfAbsent(polled, t -> new long[2]);
                get[0]++;
                get[1] = Math.max(get[1], pushed - polled);
            }
        }
        fromPoll.sort(null);
        fromQueue.sort(null);
        // the poll's throughput, which the latency follows: a GET holds what arrived during Booking.com's 5 s pause and
        // the previous GET's processing, and its median message waits for about half of it to be stored and pushed
        List<Double> perGet = gets.values().stream().map(g -> (double) g[0]).sorted().toList();
        List<Double> drained = gets.values().stream().filter(g -> g[1] > 0).map(g -> g[0] / (g[1] / 1e6)).sorted().toList();
        return String.format("Booking.com poll -> Airbnb push, %d reservations/s for %d s: %d queued (at %.1f/s), %d fetched by a poll, %d Airbnb pushes "
                        + "arrived; poll -> push p50 %.0f ms, p99 %.0f ms, max %.0f ms; queued at Booking.com -> push p50 %.0f ms, p99 %.0f ms; "
                        + "%d GETs of median %.0f messages, each stored and pushed at median %.0f messages/s (GET to its last push)",
                rate, seconds, total, queuedPerSecond, Arrays.stream(hotelKeys).filter(f::containsKey).count(), fromPoll.size(), pct(fromPoll, 50),
                pct(fromPoll, 99), fromPoll.isEmpty() ? Double.NaN : fromPoll.get(fromPoll.size() - 1), pct(fromQueue, 50), pct(fromQueue, 99),
                gets.size(), pct(perGet, 50), pct(drained, 50));
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
