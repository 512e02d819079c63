package io.channelsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The local channel sandbox answers like a channel, remembers what it was sent, and fails as told. */
class ChannelSandboxTest extends IntegrationTest {

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    @AfterEach
    void forgetEverything() {
        api.delete("/sandbox/requests", null);
    }

    /** An Airbnb host of the sandbox with these listings; calls with its token reach the listings' calendars. */
    private java.util.Map<String, String> airbnbHost(String... listings) {
        String host = Long.toString(System.nanoTime());
        String token = "sandbox-token-" + host;
        api.put("/sandbox/airbnb/hosts/" + host, null, "{\"oauth_token\": \"" + token + "\", \"listings\": [\""
                + String.join("\", \"", listings) + "\"]}");
        return java.util.Map.of("Content-Type", "application/json", "X-Airbnb-OAuth-Token", token);
    }

    private int putCalendar(String listing, java.util.Map<String, String> headers) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/sandbox/airbnb/v2/calendars/" + listing
                + "/2026-12-01/2026-12-03")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"availability\": \"unavailable\"}"));
        headers.forEach(request::header);
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void failsAtTheConfiguredRate() {
        api.put("/sandbox/faults", null, "{\"error_rate\": 0.3}");
        var host = airbnbHost("77");
        int calls = 400;
        int failed = 0;
        for (int i = 0; i < calls; i++) {
            if (putCalendar("77", host) == 503) {
                failed++;
            }
        }
        // 30% of 400 is 120; the band is about four standard deviations wide, so this fails only if the rate is wrong
        assertThat(failed).isBetween(84, 156);
    }

    @Test
    void answersAFixedStatusForOneListingAndAnOutageForAll() {
        api.put("/sandbox/faults", null, "{\"status_by_key\": {\"5150\": 400}}");
        var host = airbnbHost("5150", "5151");
        assertThat(putCalendar("5150", host)).isEqualTo(400);
        assertThat(putCalendar("5151", host)).isEqualTo(200);

        api.put("/sandbox/faults", null, "{\"outage_until\": \"" + Instant.now().plusSeconds(60) + "\"}");
        var during = api.postRaw("/sandbox/booking_com/hotels/ota/OTA_HotelAvailNotif",
                "<OTA_HotelAvailNotifRQ><AvailStatusMessages HotelCode=\"900\"/></OTA_HotelAvailNotifRQ>".getBytes(),
                java.util.Map.of("Content-Type", "application/xml"));
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.body()).contains("<Errors>");
    }

    @Test
    void offersABookingComReservationAtEveryPullUntilAcknowledgedAndKeepsItForReconciliation() throws Exception {
        JsonNode token = json.readTree(api.post("/sandbox/booking_com/token-based-authentication/exchange", null, "{}").body());
        assertThat(token.path("jwt").asText()).startsWith("sandbox-jwt-");

        String reservation = "<HotelReservation ResStatus=\\\"Book\\\"><UniqueID Type=\\\"14\\\" ID=\\\"4000000001\\\"/></HotelReservation>";
        api.post("/sandbox/booking_com/reservations", null,
                "{\"hotel_id\":\"900\",\"reservation_id\":\"4000000001\",\"xml\":\"" + reservation + "\"}");
        String pull = "/sandbox/booking_com/hotels/ota/OTA_HotelResNotif?hotel_id=900";
        assertThat(api.get(pull, null).body()).contains("ID=\"4000000001\"");
        assertThat(api.get(pull, null).body()).as("not acknowledged yet: offered again").contains("ID=\"4000000001\"");
        assertThat(api.get("/sandbox/booking_com/hotels/ota/OTA_HotelResNotif?hotel_id=901", null).body())
                .as("another hotel's pull").doesNotContain("4000000001");

        api.postRaw("/sandbox/booking_com/hotels/ota/OTA_HotelResNotif",
                "<OTA_HotelResNotifRS><Success/><HotelReservations><HotelReservation><UniqueID Type=\"14\" ID=\"4000000001\"/></HotelReservation></HotelReservations></OTA_HotelResNotifRS>".getBytes(),
                java.util.Map.of("Content-Type", "application/xml"));
        assertThat(api.get(pull, null).body()).as("acknowledged: no longer offered").doesNotContain("4000000001");
        assertThat(api.get(pull + "&start_date=2026-01-01&end_date=2027-12-31", null).body())
                .as("the channel still holds it for reconciliation").contains("ID=\"4000000001\"");
    }
}
