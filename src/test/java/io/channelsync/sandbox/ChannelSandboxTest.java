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

    @Test
    void recordsTheCalendarItWasSent() throws Exception {
        String body = "{\"listing_id\":\"4242\",\"days\":[{\"date\":\"2026-12-01\",\"available\":false}]}";
        assertThat(api.put("/sandbox/airbnb/v2/calendars/4242", null, body).statusCode()).isEqualTo(200);

        JsonNode recorded = json.readTree(api.get("/sandbox/requests?channel=airbnb", null).body());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).path("path").asText()).isEqualTo("/v2/calendars/4242");
        assertThat(recorded.get(0).path("body").asText()).isEqualTo(body);
    }

    @Test
    void failsAtTheConfiguredRate() {
        api.put("/sandbox/faults", null, "{\"error_rate\": 0.3}");
        int calls = 400;
        int failed = 0;
        for (int i = 0; i < calls; i++) {
            if (api.put("/sandbox/airbnb/v2/calendars/77", null, "{}").statusCode() == 503) {
                failed++;
            }
        }
        // 30% of 400 is 120; the band is about four standard deviations wide, so this fails only if the rate is wrong
        assertThat(failed).isBetween(84, 156);
    }

    @Test
    void answersAFixedStatusForOneListingAndAnOutageForAll() throws Exception {
        api.put("/sandbox/faults", null, "{\"status_by_key\": {\"5150\": 400}}");
        assertThat(api.put("/sandbox/airbnb/v2/calendars/5150", null, "{}").statusCode()).isEqualTo(400);
        assertThat(api.put("/sandbox/airbnb/v2/calendars/5151", null, "{}").statusCode()).isEqualTo(200);

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
}
