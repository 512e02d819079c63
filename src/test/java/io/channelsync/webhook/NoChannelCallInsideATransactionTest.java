package io.channelsync.webhook;

import io.channelsync.channel.bookingcom.BookingComPollTest;
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
 * The scenario is Booking.com's reservation poll (two GETs, the acknowledgement after the commit, a push to
 * Airbnb) while a calendar push to Booking.com runs at the same time.
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
        String xml = new String(getClass().getResourceAsStream("/io/channelsync/channel/bookingcom/new-reservation.xml").readAllBytes(),
                StandardCharsets.UTF_8)
                .replace("HotelCode=\"770011\"", "HotelCode=\"" + hotel + "\"")
                .replace("RoomTypeCode=\"7700101\"", "RoomTypeCode=\"" + room + "\"")
                .replace("ResID_Value=\"4100200301\"", "ResID_Value=\"" + reservation + "\"");
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif"))
                .willReturn(ok(xml).withHeader("Content-Type", "application/xml").withFixedDelay(LATENCY)));
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResModifyNotif"))
                .willReturn(ok("<OTA_HotelResModifyNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"><HotelResModifies/></OTA_HotelResModifyNotifRQ>")
                        .withHeader("Content-Type", "application/xml").withFixedDelay(LATENCY)));
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
            // a Booking.com poll: two GETs, store, acknowledge, and an availability push to Airbnb ...
            Thread poller = new Thread(() -> BookingComPollTest.pollNow(camel), "test-poll");
            poller.start();
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
}
