package io.channelsync.webhook;

import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 7: a channel call (token exchange, pull, acknowledgement, availability push) never runs
 * while a database transaction or row lock is open. Every channel answers only after {@link #LATENCY}
 * (five or more calls: at least 20 s of channel latency in all), while pg_stat_activity is sampled every
 * 50 ms from start to end: no session may stay {@code idle in transaction} for longer than 1 s.
 * (Before the fix, Booking.com's pull ran inside the processing transaction, holding the row lock: its
 * session sat idle in transaction for the whole pull.)
 */
class NoChannelCallInsideATransactionTest extends IntegrationTest {

    private static final int LATENCY = 4_000;

    /** The longest any other session of our database has been idle inside a transaction, now (seconds). */
    private static final String IDLE_IN_TRANSACTION = """
            select coalesce(max(extract(epoch from now() - state_change)), 0) as seconds,
                   (array_agg(left(query, 200) order by state_change))[1] as query
            from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'""";

    @Test
    void secondsOfChannelLatencyNeverKeepASessionIdleInTransactionForMoreThanASecond() throws Exception {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        String hotel = TestData.uniqueListingId();
        String room = Long.toString(System.nanoTime() % 1_000_000_000L);
        data.airbnbMapping(agency.id(), property, listing);
        data.bookingComMapping(agency.id(), property, hotel, room);
        LocalDate day = LocalDate.now().plusDays(40);
        jdbc.update("insert into availability (property_id, day, available, min_stay, price) values (?, ?, true, 1, 100.00)", property, day);
        String reservation = Long.toString(7_000_000_000L + System.nanoTime() % 1_000_000_000L);

        CHANNELS.stubFor(post("/booking/token-based-authentication/exchange")
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}").withFixedDelay(LATENCY)));
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).withQueryParam("hotel_id", equalTo(hotel))
                .willReturn(ok(ota("OTA_HotelResNotifRQ", reservation, room, hotel)).withFixedDelay(LATENCY)));
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResModifyNotif"))
                .willReturn(ok("<OTA_HotelResModifyNotifRQ><HotelReservations/></OTA_HotelResModifyNotifRQ>").withFixedDelay(LATENCY)));
        CHANNELS.stubFor(post("/booking/hotels/ota/OTA_HotelResNotif").willReturn(ok().withFixedDelay(LATENCY)));
        CHANNELS.stubFor(post("/booking/hotels/ota/OTA_HotelAvailNotif")
                .willReturn(ok("<OTA_HotelAvailNotifRS><Success/></OTA_HotelAvailNotifRS>").withFixedDelay(LATENCY)));
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/.*")).willReturn(ok().withFixedDelay(LATENCY)));

        AtomicReference<Double> worst = new AtomicReference<>(0.0);
        AtomicReference<String> worstQuery = new AtomicReference<>();
        AtomicInteger samples = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            Map<String, Object> now = jdbc.queryForMap(IDLE_IN_TRANSACTION);
            double seconds = ((Number) now.get("seconds")).doubleValue();
            if (seconds > worst.get()) {
                worst.set(seconds);
                worstQuery.set((String) now.get("query"));
            }
            samples.incrementAndGet();
        }, 0, 50, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        try {
            // a Booking.com alert: pull (two calls), store, acknowledge, and an availability push to Airbnb ...
            byte[] alert = ("{\"type\": \"reservation\", \"hotel_id\": \"" + hotel + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> accepted = api.postRaw(BOOKING_PATH, alert, bookingHeaders(BOOKING_OLD, "evt-" + UUID.randomUUID(), now(), alert));
            assertThat(accepted.statusCode()).isEqualTo(202);
            // ... and at the same time a push of the calendar to Booking.com
            assertThat(api.post("/api/v1/sync/availability", agency.apiKey(), "{\"property_id\":\"" + property + "\",\"from\":\"" + day
                    + "\",\"to\":\"" + day + "\",\"platforms\":[\"booking_com\"]}").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(jdbc.queryForList("select s.status from sync_logs s join channel_mappings m on m.id = s.mapping_id "
                        + "where m.property_id = ? order by m.platform", String.class, property)).containsExactly("succeeded", "succeeded");
                CHANNELS.verify(postRequestedFor(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).withRequestBody(containing(reservation)));
            });
        } finally {
            sampler.shutdown();
            assertThat(sampler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long delayedCalls = CHANNELS.getAllServeEvents().stream().filter(e -> e.getStubMapping() != null
                && e.getStubMapping().getResponse().getFixedDelayMilliseconds() != null).count();
        assertThat(delayedCalls * LATENCY).as("channel latency in all (ms)").isGreaterThanOrEqualTo(20_000);
        assertThat(samples.get()).as("samples throughout %.1f s", elapsed).isGreaterThan((int) (elapsed * 10));
        assertThat(worst.get()).as("longest idle in transaction (s), last query: %s", worstQuery.get()).isLessThan(1.0);
    }

    private static String ota(String root, String reservation, String room, String hotel) {
        return """
                <%s xmlns="http://www.opentravel.org/OTA/2003/05" TimeStamp="2026-11-01T10:00:00Z"><HotelReservations>
                <HotelReservation ResStatus="Book" CreateDateTime="2026-11-01T09:00:00Z" LastModifyDateTime="2026-11-01T09:30:00Z">
                  <UniqueID Type="14" ID="%s"/>
                  <RoomStays><RoomStay>
                    <RoomTypes><RoomType RoomTypeCode="%s"/></RoomTypes>
                    <TimeSpan Start="2027-05-01" End="2027-05-03"/>
                    <GuestCounts><GuestCount Count="2"/></GuestCounts>
                    <Total AmountAfterTax="200.00" CurrencyCode="EUR"/>
                    <BasicPropertyInfo HotelCode="%s"/>
                  </RoomStay></RoomStays>
                </HotelReservation></HotelReservations></%s>""".formatted(root, reservation, room, hotel, root);
    }
}
