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
    void answersAFixedStatusForOneListingAndAnOutageForAll() throws Exception {
        api.put("/sandbox/faults", null, "{\"status_by_key\": {\"5150\": 400}}");
        var host = airbnbHost("5150", "5151");
        assertThat(putCalendar("5150", host)).isEqualTo(400);
        assertThat(putCalendar("5151", host)).isEqualTo(200);

        api.put("/sandbox/faults", null, "{\"outage_until\": \"" + Instant.now().plusSeconds(60) + "\"}");
        var during = api.postRaw("/sandbox/booking_com/hotels/ota/OTA_HotelAvailNotif",
                "<OTA_HotelAvailNotifRQ><AvailStatusMessages HotelCode=\"900\"/></OTA_HotelAvailNotifRQ>".getBytes(),
                java.util.Map.of("Content-Type", "application/xml", "Authorization", "Bearer " + bookingToken()));
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.body()).contains("<Errors>");
    }

    private String bookingToken() throws Exception {
        var answer = api.post("/sandbox/booking_com/token-based-authentication/exchange", null,
                "{\"client_id\": \"sandbox-client\", \"client_secret\": \"sandbox-secret\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        return json.readTree(answer.body()).path("jwt").asText();
    }

    private static java.util.Map<String, String> xmlWith(String jwt) {
        return java.util.Map.of("Content-Type", "application/xml", "Authorization", "Bearer " + jwt);
    }

    @Test
    void bookingComTokenExchangeNeedsTheMachineAccountCredentials() throws Exception {
        assertThat(api.post("/sandbox/booking_com/token-based-authentication/exchange", null, "{}").statusCode()).isEqualTo(401);
        assertThat(bookingToken()).startsWith("sandbox-jwt-");
        assertThat(api.get("/sandbox/booking_com/hotels/ota/OTA_HotelResNotif", "not-a-jwt-it-issued").statusCode()).isEqualTo(401);
    }

    @Test
    void bookingComReturnsAReservationAtEveryGetUntilItIsAcknowledgedSuccessfully() throws Exception {
        String jwt = bookingToken();
        String message = "<HotelReservation><ResGlobalInfo><HotelReservationIDs><HotelReservationID ResID_Value=\\\"4000000001\\\" "
                + "ResID_Date=\\\"2026-11-27T10:00:00\\\"/></HotelReservationIDs></ResGlobalInfo></HotelReservation>";
        assertThat(api.post("/sandbox/booking_com/reservations", null, "{\"xml\": \"" + message + "\"}").statusCode()).isEqualTo(202);
        String queue = "/sandbox/booking_com/hotels/ota/OTA_HotelResNotif";
        assertThat(api.get(queue, jwt).body()).contains("ResID_Value=\"4000000001\"");
        assertThat(api.get(queue, jwt).body()).as("not acknowledged yet: returned again").contains("ResID_Value=\"4000000001\"");
        assertThat(api.get("/sandbox/booking_com/hotels/ota/OTA_HotelResModifyNotif", jwt).body())
                .as("the modifications queue is another queue").doesNotContain("4000000001");

        String failed = "<OTA_HotelResNotifRS><Errors><Error Type=\"3\" Code=\"450\" ShortText=\"no mapping\"/></Errors><HotelReservations>"
                + "<HotelReservation><ResGlobalInfo><HotelReservationIDs><HotelReservationID ResID_Value=\"4000000001\"/></HotelReservationIDs>"
                + "</ResGlobalInfo></HotelReservation></HotelReservations></OTA_HotelResNotifRS>";
        api.postRaw(queue, failed.getBytes(), xmlWith(jwt));
        assertThat(api.get(queue, jwt).body()).as("acknowledged as failed: kept queued").contains("ResID_Value=\"4000000001\"");

        api.postRaw(queue, failed.replace("<Errors><Error Type=\"3\" Code=\"450\" ShortText=\"no mapping\"/></Errors>", "<Success/>")
                .getBytes(), xmlWith(jwt));
        assertThat(api.get(queue, jwt).body()).as("acknowledged: no longer returned").doesNotContain("4000000001");
    }

    @Test
    void recordsPricesAndRestrictionsAsTheyWereSent() throws Exception {
        String jwt = bookingToken();
        String base = "/io/channelsync/channel/bookingcom/";
        for (String fixture : new String[] {"avail-notif-room-and-rate.xml", "rate-amount-notif.xml"}) {
            byte[] xml;
            try (var in = getClass().getResourceAsStream(base + fixture)) {
                xml = in.readAllBytes();
            }
            String endpoint = fixture.startsWith("rate") ? "OTA_HotelRateAmountNotif" : "OTA_HotelAvailNotif";
            var answer = api.postRaw("/sandbox/booking_com/hotels/ota/" + endpoint, xml, xmlWith(jwt));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("<" + endpoint + "RS").contains("<Success/>");
        }
        String listing = "7100000" + (System.nanoTime() % 1000);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/sandbox/airbnb/v2/calendars/" + listing
                + "/2026-12-01/2026-12-03")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"availability\": \"available\", \"daily_price\": 135.5, \"min_nights\": 2, \"max_nights\": 7}"));
        airbnbHost(listing).forEach(request::header);
        assertThat(java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);

        String booking = api.get("/sandbox/requests?channel=booking_com", null).body();
        assertThat(booking).contains("/hotels/ota/OTA_HotelRateAmountNotif").contains("AmountAfterTax=\\\"135.50\\\"")
                .contains("/hotels/ota/OTA_HotelAvailNotif").contains("Restriction=\\\"Arrival\\\" Status=\\\"Close\\\"")
                .contains("MinMaxMessageType=\\\"SetMaxLOS\\\"");
        assertThat(api.get("/sandbox/requests?channel=airbnb", null).body()).contains("\\\"max_nights\\\":7").contains("\\\"daily_price\\\":135.5");
    }
}
