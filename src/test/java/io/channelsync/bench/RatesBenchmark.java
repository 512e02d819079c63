package io.channelsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.channelsync.support.TestData;
import io.channelsync.sync.SyncTestSupport;
import org.junit.jupiter.api.Test;

import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: a full sync of 100 properties x 365 nights (units, a price that changes by month, minimum stay)
 * to both channels against the channel sandbox, then a delta after 10 changed nights per property. WireMock
 * (the suite's CHANNELS) proxies every channel call to the service's own sandbox (as DemoTest does) and counts
 * requests and request-body bytes per channel. Same-run reference: the same number of requests, sent one by
 * one straight to the sandbox without the service (its per-call cost). Prints figures; asserts only the
 * request counts the issue sets (at most 12 a property and message type for 12 months).
 * Run: {@code make bench} (or {@code mvn -Pbench test -Dtest=RatesBenchmark}).
 */
class RatesBenchmark extends SyncTestSupport {

    static final int PROPERTIES = 100;
    static final int NIGHTS = 365;

    record Figures(long airbnbRequests, long airbnbBytes, long bookingRequests, long bookingBytes, long rateRequests, double seconds) {
    }

    @Test
    void fullSyncOfAHundredPropertiesAYearEachThenADeltaOfTenNights() throws Exception {
        String sandbox = api.baseUrl() + "/sandbox";
        CHANNELS.stubFor(any(urlMatching("/airbnb/.*")).atPriority(5)
                .willReturn(aResponse().proxiedFrom(sandbox + "/airbnb").withProxyUrlPrefixToRemove("/airbnb")));
        CHANNELS.stubFor(any(urlMatching("/booking/.*")).atPriority(5)
                .willReturn(aResponse().proxiedFrom(sandbox + "/booking_com").withProxyUrlPrefixToRemove("/booking")));
        LocalDate first = LocalDate.now().withDayOfMonth(1).plusMonths(1);
        LocalDate last = first.plusDays(NIGHTS - 1);

        TestData.Agency agency = data.agency();
        List<UUID> properties = new ArrayList<>();
        List<String> listings = new ArrayList<>();
        for (int p = 0; p < PROPERTIES; p++) {
            UUID property = data.property(agency.id());
            jdbc.update("update properties set currency = 'EUR' where id = ?", property);
            String listing = TestData.uniqueListingId();
            data.airbnbMapping(agency.id(), property, listing);
            UUID booking = data.bookingComMapping(agency.id(), property, TestData.uniqueListingId(), Long.toString(900_000_000L + p));
            jdbc.update("update channel_mappings set rate_plan_id = ? where id = ?", Long.toString(5_000_000L + p), booking);
            // a season a month: price and minimum stay change on the 1st, units stay 2
            jdbc.update("""
                    insert into availability (property_id, day, units, available, price, min_stay)
                    select ?, d::date, 2, true, 100 + 5 * extract(month from d), case when extract(month from d) in (7, 8) then 7 else 2 end
                    from generate_series(cast(? as date), cast(? as date), interval '1 day') d""", property, Date.valueOf(first), Date.valueOf(last));
            properties.add(property);
            listings.add(listing);
        }
        String connection = jdbc.queryForObject("select id::text from channel_connections where agency_id = ? and platform = 'airbnb'", String.class, agency.id());
        String host = data.airbnbHost(UUID.fromString(connection));
        api.put("/sandbox/airbnb/hosts/" + host, null, "{\"oauth_token\": \"" + TestData.oauthToken(host) + "\", \"listings\": "
                + JSON.writeValueAsString(listings) + "}");

        Figures full = run(agency, properties, first, last, true);

        // 10 nights a property change price (every 36th night: spread over the year)
        for (UUID property : properties) {
            jdbc.update("update availability set price = price + 10 where property_id = ? and (day - cast(? as date)) % 36 = 0 and day < cast(? as date) + 360",
                    property, Date.valueOf(first), Date.valueOf(first));
        }
        Figures delta = run(agency, properties, first, last, false);

        double reference = reference(sandbox, (int) (full.airbnbRequests() + full.bookingRequests()));

        System.out.printf("%n=== RatesBenchmark (cores: %d, sync consumers: %s) ===%n", Runtime.getRuntime().availableProcessors(),
                camel.resolvePropertyPlaceholders("{{channel-sync.sync.consumers}}"));
        System.out.printf("%d properties x %d nights (%s..%s), each mapped to Airbnb and Booking.com (with a rate plan), through WireMock to the sandbox%n",
                PROPERTIES, NIGHTS, first, last);
        print("full sync", full);
        print("delta, 10 nights changed per property", delta);
        System.out.printf("reference: %d requests one by one straight to the sandbox in %.2f s (%.1f ms a request)%n",
                full.airbnbRequests() + full.bookingRequests(), reference, 1000 * reference / (full.airbnbRequests() + full.bookingRequests()));

        // monthly batching: a year is at most 12 requests per property and channel (Booking.com: 6 + 6, two months a push)
        assertThat(full.bookingRequests()).isEqualTo(12L * PROPERTIES);
        assertThat(full.rateRequests()).isEqualTo(6L * PROPERTIES);
        assertThat(full.airbnbRequests()).isLessThanOrEqualTo(12L * PROPERTIES);
        assertThat(delta.airbnbRequests()).isEqualTo(10L * PROPERTIES);
    }

    private static void print(String what, Figures f) {
        System.out.printf("%s: %.2f s wall%n  airbnb:      %,d requests (%.1f a property), %,d body bytes%n"
                        + "  booking_com: %,d requests (%.1f a property: %,d OTA_HotelAvailNotif + %,d OTA_HotelRateAmountNotif), %,d body bytes%n",
                what, f.seconds(), f.airbnbRequests(), f.airbnbRequests() / (double) PROPERTIES, f.airbnbBytes(),
                f.bookingRequests(), f.bookingRequests() / (double) PROPERTIES, f.bookingRequests() - f.rateRequests(), f.rateRequests(), f.bookingBytes());
    }

    /** Triggers a sync of every property, waits for every job to succeed, and counts what reached each channel. */
    private Figures run(TestData.Agency agency, List<UUID> properties, LocalDate first, LocalDate last, boolean full) throws Exception {
        CHANNELS.resetRequests();
        List<Long> jobs = new ArrayList<>();
        long start = System.nanoTime();
        for (UUID property : properties) {
            var trigger = api.post("/api/v1/sync/availability", agency.apiKey(), "{\"property_id\": \"%s\", \"from\": \"%s\", \"to\": \"%s\", \"full\": %s}"
                    .formatted(property, first, last, full));
            assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(202);
            for (JsonNode id : JSON.readTree(trigger.body()).path("job_ids")) {
                jobs.add(id.asLong());
            }
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("select count(*) from sync_logs where id = any(?) and status in ('succeeded', 'deadlettered', 'failed')",
                        Integer.class, (Object) jobs.toArray(Long[]::new)) == jobs.size());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(jdbc.queryForObject("select count(*) from sync_logs where id = any(?) and status = 'succeeded'", Integer.class,
                (Object) jobs.toArray(Long[]::new))).isEqualTo(jobs.size());
        long airbnb = 0, airbnbBytes = 0, booking = 0, bookingBytes = 0, rates = 0;
        for (ServeEvent event : CHANNELS.getAllServeEvents()) {
            String url = event.getRequest().getUrl();
            int bytes = event.getRequest().getBody().length;
            if (url.startsWith("/airbnb/v2/calendars/")) {
                airbnb++;
                airbnbBytes += bytes;
            } else if (url.startsWith("/booking/hotels/ota/OTA_Hotel") && url.contains("Notif")) {
                booking++;
                bookingBytes += bytes;
                rates += url.contains("RateAmount") ? 1 : 0;
            }
        }
        return new Figures(airbnb, airbnbBytes, booking, bookingBytes, rates, seconds);
    }

    /** The per-request cost of the sandbox itself: the same number of small calendar PUTs, one by one, no service in between. */
    private double reference(String sandbox, int requests) throws Exception {
        String host = Long.toString(System.nanoTime());
        String listing = TestData.uniqueListingId();
        api.put("/sandbox/airbnb/hosts/" + host, null, "{\"oauth_token\": \"ref-" + host + "\", \"listings\": [\"" + listing + "\"]}");
        var client = java.net.http.HttpClient.newHttpClient();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox + "/airbnb/v2/calendars/" + listing + "/2027-01-01/2027-01-31"))
                    .header("Content-Type", "application/json").header("X-Airbnb-OAuth-Token", "ref-" + host)
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"availability\": \"available\", \"daily_price\": 120.00, \"min_nights\": 2}")).build();
            client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
