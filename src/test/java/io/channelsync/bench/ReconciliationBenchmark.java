package io.channelsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.channelsync.alert.Alerts;
import io.channelsync.channel.Channels;
import io.channelsync.channel.airbnb.AirbnbApi;
import io.channelsync.channel.airbnb.AirbnbConnector;
import io.channelsync.channel.airbnb.AirbnbReservationsClient;
import io.channelsync.connection.ChannelConnections;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.reconciliation.Reconciler;
import io.channelsync.reconciliation.ReconciliationProperties;
import io.channelsync.reconciliation.ReconciliationRuns;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 agencies x 1,000 bookings (10 Airbnb-mapped properties x 100 stays each) reconciled against a
 * local Airbnb stub (a JDK HttpServer answering the reservations API page by page, 50 a page), one
 * agency after the other as the scheduled job does. One booking per agency differs in amount, so
 * findings and alerts are written too. Prints wall time, bookings compared per second, peak heap
 * (a 10 ms sampler and the heap pools' peaks), GC, the core count, and a same-run reference: the
 * time to stream-SELECT all those bookings. 10 agencies are reconciled first, then all 100, so the
 * two peak-heap figures show whether memory grows with the data.
 * <p>
 * Run: {@code make bench} (or {@code mvn -B -o -Pbench test -Dtest=ReconciliationBenchmark}).
 */
class ReconciliationBenchmark extends IntegrationTest {

    static final int AGENCIES = 100;
    static final int PROPERTIES_PER_AGENCY = 10;
    static final int STAYS_PER_PROPERTY = 100;

    @Autowired
    NamedParameterJdbcTemplate sql;
    @Autowired
    ReconciliationRuns runs;
    @Autowired
    ReconciliationProperties config;
    @Autowired
    Alerts alerts;
    @Autowired
    ObjectMapper json;
    @Autowired
    ChannelConnections connections;

    /** Each bench host's listings, in mapping order: Airbnb lists reservations per host. */
    static final Map<String, List<String>> HOST_LISTINGS = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void reconcileOneHundredAgenciesOfOneThousandBookings() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpServer stub = airbnbStub(today);
        try {
            List<UUID> agencies = seed(today);
            ChannelProperties local = new ChannelProperties(
                    new ChannelProperties.Airbnb("http://127.0.0.1:" + stub.getAddress().getPort(), "bench-key"),
                    null, Duration.ofSeconds(5), Duration.ofSeconds(30));
            // only the reservation reader is used by reconciliation
            Channels channels = new Channels(List.of(new AirbnbConnector(null, new AirbnbReservationsClient(new AirbnbApi(local, connections), json, new ChannelHttp(local)), null, null)));
            Reconciler reconciler = new Reconciler(sql, runs, config, alerts, channels);

            reconciler.reconcile(agencies.get(0), "api"); // warm-up (JIT, connection pool)
            Result ten = measure(reconciler, agencies.subList(1, 11));
            Result all = measure(reconciler, agencies);
            long referenceNanos = selectAllBookings(agencies);

            long bookings = (long) AGENCIES * PROPERTIES_PER_AGENCY * STAYS_PER_PROPERTY;
            System.out.printf("%n=== ReconciliationBenchmark (%d cores, max heap %d MB) ===%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            print("10 agencies  (10,000 PMS bookings + 10,000 channel reservations)", ten, 10L * PROPERTIES_PER_AGENCY * STAYS_PER_PROPERTY);
            print("100 agencies (100,000 PMS bookings + 100,000 channel reservations)", all, bookings);
            System.out.printf("reference: stream-SELECT of the same %,d bookings: %,d ms (%,.0f rows/s)%n",
                    bookings, referenceNanos / 1_000_000, bookings / (referenceNanos / 1e9));
            Integer found = sql.getJdbcTemplate().queryForObject(
                    "select coalesce(sum(discrepancies), 0) from reconciliation_runs where agency_id = any(?)", Integer.class,
                    (Object) agencies.toArray(new UUID[0]));
            System.out.printf("discrepancies recorded over all runs: %d (1 amount drift per agency and run)%n%n", found);
            assertThat(all.failedRuns).isZero();
        } finally {
            stub.stop(0);
        }
    }

    record Result(long nanos, long sampledPeakHeap, long poolPeakHeap, long heapBefore, long gcCount, long gcMillis, int failedRuns) {
    }

    Result measure(Reconciler reconciler, List<UUID> agencies) throws Exception {
        System.gc();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long gcCount0 = gcCount();
        long gcTime0 = gcMillis();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.start();
        long start = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (UUID agency : agencies) {
            ids.add(reconciler.reconcile(agency, "api"));
        }
        long nanos = System.nanoTime() - start;
        sampler.interrupt();
        sampler.join();
        long poolPeak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Integer failed = sql.getJdbcTemplate().queryForObject(
                "select count(*) from reconciliation_runs where id = any(?) and status <> 'succeeded'", Integer.class,
                (Object) ids.toArray(new Long[0]));
        return new Result(nanos, peak.get(), poolPeak, before, gcCount() - gcCount0, gcMillis() - gcTime0, failed);
    }

    static void print(String label, Result r, long bookings) {
        System.out.printf("%s: wall %,d ms, %,.0f bookings compared/s, heap before %d MB, peak heap sampled %d MB "
                        + "(sum of heap pool peaks %d MB), GC %d collections / %d ms, failed runs %d%n",
                label, r.nanos / 1_000_000, bookings / (r.nanos / 1e9), r.heapBefore >> 20, r.sampledPeakHeap >> 20,
                r.poolPeakHeap >> 20, r.gcCount, r.gcMillis, r.failedRuns);
    }

    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Agencies, properties, mappings and bookings; stay i of a listing is nights [today+3i+1, today+3i+3). */
    List<UUID> seed(LocalDate today) {
        List<UUID> agencies = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int a = 0; a < AGENCIES; a++) {
            UUID agency = data.agency().id();
            agencies.add(agency);
            for (int p = 0; p < PROPERTIES_PER_AGENCY; p++) {
                UUID property = data.property(agency);
                String listing = TestData.uniqueListingId();
                data.airbnbMapping(agency, property, listing);
                HOST_LISTINGS.computeIfAbsent(data.airbnbHost(data.airbnbConnection(agency)), h -> new ArrayList<>()).add(listing);
                Map<String, Object> row = new HashMap<>();
                row.put("agency", agency);
                row.put("property", property);
                row.put("listing", listing);
                row.put("today", Date.valueOf(today));
                row.put("drift", p == 0);
                rows.add(row);
            }
        }
        sql.batchUpdate("""
                insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status, guests, total_amount, currency)
                select :agency, :property, 'airbnb', 'BN' || :listing || '-' || i, cast(:today as date) + 3 * i + 1, cast(:today as date) + 3 * i + 3,
                       'confirmed', 2, case when :drift and i = 7 then 99 else 100 + i end, 'EUR'
                from generate_series(0, %d) i""".formatted(STAYS_PER_PROPERTY - 1),
                rows.stream().map(org.springframework.jdbc.core.namedparam.MapSqlParameterSource::new)
                        .toArray(org.springframework.jdbc.core.namedparam.SqlParameterSource[]::new));
        jdbc.execute("analyze bookings");
        return agencies;
    }

    long selectAllBookings(List<UUID> agencies) {
        long start = System.nanoTime();
        long[] count = {0};
        jdbc.setFetchSize(1000);
        sql.query("select id, property_id, platform, reservation_code, check_in, check_out, status, guests, total_amount, currency "
                        + "from bookings where agency_id in (:agencies)", Map.of("agencies", agencies),
                rs -> {
                    count[0]++;
                });
        long nanos = System.nanoTime() - start;
        jdbc.setFetchSize(-1);
        assertThat(count[0]).isEqualTo((long) AGENCIES * PROPERTIES_PER_AGENCY * STAYS_PER_PROPERTY);
        return nanos;
    }

    /**
     * The Airbnb reservations API for every bench host ({@code host_id}, {@code _limit}, {@code _cursor},
     * answered {@code paging.next_cursor}): the host's listings one after the other; stay i of listing L is code BN{L}-{i}.
     */
    static HttpServer airbnbStub(LocalDate today) throws Exception {
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms a call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v2/reservations", exchange -> {
            Map<String, String> q = new HashMap<>();
            for (String pair : URI.create(exchange.getRequestURI().toString()).getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            List<String> listings = HOST_LISTINGS.getOrDefault(q.get("host_id"), List.of());
            int offset = Integer.parseInt(q.getOrDefault("_cursor", "0"));
            int limit = Integer.parseInt(q.getOrDefault("_limit", "10"));
            int total = listings.size() * STAYS_PER_PROPERTY;
            int end = Math.min(offset + limit, total);
            StringBuilder body = new StringBuilder("{\"reservations\":[");
            for (int index = offset; index < end; index++) {
                if (index > offset) {
                    body.append(',');
                }
                String listing = listings.get(index / STAYS_PER_PROPERTY);
                int i = index % STAYS_PER_PROPERTY;
                body.append("{\"confirmation_code\":\"BN").append(listing).append('-').append(i)
                        .append("\",\"listing_id\":\"").append(listing)
                        .append("\",\"start_date\":\"").append(today.plusDays(3L * i + 1))
                        .append("\",\"end_date\":\"").append(today.plusDays(3L * i + 3))
                        .append("\",\"number_of_guests\":2,\"status_type\":\"accept\",\"expected_payout_amount_accurate\":")
                        .append(100 + i).append(",\"host_currency\":\"EUR\",\"guest_first_name\":\"Bench\",\"guest_last_name\":\"Guest\"}");
            }
            body.append("],\"paging\":{\"next_cursor\":").append(end < total ? "\"" + end + "\"" : "null").append("}}");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
