package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 11.2: a reservation for a listing that is not mapped yet is parked, listed, alerted, and applied once it is mapped. */
class UnmappedEventsTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestData.Agency agency;
    private UUID property;
    private UUID bookingMapping;
    private String listing;
    private String code;

    @BeforeEach
    void propertyOnBookingComOnly() {
        agency = data.agency();
        property = data.property(agency.id());
        bookingMapping = data.bookingComMapping(agency.id(), property, TestData.uniqueListingId(), TestData.uniqueListingId());
        listing = TestData.uniqueListingId();
        code = "HM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private long post(byte[] body) {
        HttpResponse<String> response = api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Long.parseLong(response.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
    }

    private String status(long id) {
        return jdbc.queryForObject("select status from webhook_log where id = ?", String.class, id);
    }

    private UUID airbnbConnectionOwning(String listingId) {
        UUID connection = data.airbnbConnection(agency.id());
        String host = data.airbnbHost(connection);
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + listingId))
                .willReturn(okJson("{\"listing\": {\"id\": " + listingId + ", \"user_id\": " + host + "}}")));
        return connection;
    }

    private List<Long> listedIds(String key) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/unmapped-events?platform=airbnb&listing_id=" + listing, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode items = JSON.readTree(response.body()).path("items");
        items.forEach(item -> assertThat(item.path("listing_id").asText()).isEqualTo(listing));
        return items.findValues("id").stream().map(JsonNode::asLong).toList();
    }

    @Test
    void aReservationForAnUnmappedListingIsParkedListedAlertedAndAppliedInVersionOrderOnceTheListingIsMapped() throws Exception {
        // the cancellation comes first, the (older) acceptance after it: both parked, neither lost
        long cancellation = post(withUpdatedAt(airbnbReservation(null, "reservation_cancellation_confirmation", code, listing,
                "2027-02-01", "2027-02-04", 2, "cancelled_by_guest"), "2026-11-27T12:00:00Z"));
        byte[] acceptanceBody = withUpdatedAt(airbnbReservation(null, "reservation_acceptance_confirmation", code, listing,
                "2027-02-01", "2027-02-04", 2, "accept"), "2026-11-27T11:00:00Z");
        long acceptance = post(acceptanceBody);
        await().atMost(Duration.ofSeconds(10)).until(() -> "unmapped".equals(status(cancellation)) && "unmapped".equals(status(acceptance)));

        assertThat(jdbc.queryForMap("select error, unmapped_listing_id, unmapped_room_id from webhook_log where id = ?", acceptance))
                .containsEntry("error", "no mapping for listing " + listing).containsEntry("unmapped_listing_id", listing)
                .containsEntry("unmapped_room_id", null);
        assertThat(jdbc.queryForObject("select count(*) from alerts where kind = 'reservation_unmapped' and payload->>'listing_id' = ?",
                Integer.class, listing)).as("one alert per listing while its events wait, not one per event").isEqualTo(1);
        assertThat(listedIds(OPERATOR_KEY)).containsExactly(cancellation, acceptance);
        // the channel's resend is a duplicate of a row that is still live: nothing is lost, nothing applied twice
        assertThat(api.postRaw(AIRBNB_PATH, acceptanceBody, airbnbHeaders(AIRBNB_NEW, now(), acceptanceBody)).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = ?", Integer.class, code)).isZero();

        HttpResponse<String> mapped = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, airbnbConnectionOwning(listing), listing));
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10)).until(() -> "processed".equals(status(cancellation)) && "processed".equals(status(acceptance)));
        assertThat(jdbc.queryForObject("select status from bookings where platform = 'airbnb' and reservation_code = ?", String.class, code))
                .as("the newest version wins, whatever order they were released in").isEqualTo("cancelled");
        assertThat(jdbc.queryForObject("select property_id from bookings where platform = 'airbnb' and reservation_code = ?", UUID.class, code))
                .isEqualTo(property);
        assertThat(jdbc.queryForObject("select count(*) from sync_logs where mapping_id = ?", Integer.class, bookingMapping))
                .as("the other channel hears of it").isPositive();
        assertThat(listedIds(OPERATOR_KEY)).isEmpty();
    }

    @Test
    void changingAMappingToTheWaitedForListingAppliesItsParkedReservation() {
        long parked = post(airbnbReservation(null, "reservation_acceptance_confirmation", code, listing, "2027-03-01", "2027-03-03", 2, "accept"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "unmapped".equals(status(parked)));

        String first = TestData.uniqueListingId();
        UUID connection = airbnbConnectionOwning(first);
        airbnbConnectionOwning(listing);
        HttpResponse<String> created = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, first));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        assertThat(status(parked)).as("another listing's mapping releases nothing").isEqualTo("unmapped");

        HttpResponse<String> patched = api.patch("/api/v1/channel-mappings/" + id, agency.apiKey(), "{\"listing_id\": \"" + listing + "\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> "processed".equals(status(parked)));
        assertThat(jdbc.queryForObject("select status from bookings where platform = 'airbnb' and reservation_code = ?", String.class, code))
                .isEqualTo("confirmed");
    }

    @Test
    void anOperatorSeesEveryParkedEventAnAgencyNoneOfAnAirbnbListingItHoldsNoConnectionFor() throws Exception {
        // operators see every parked event; an agency only those of the Booking.com hotels its connections hold
        long parked = post(airbnbReservation(null, "reservation_requested", code, listing, "2027-04-01", "2027-04-02", 1, "pending"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "unmapped".equals(status(parked)));
        assertThat(listedIds(OPERATOR_KEY)).containsExactly(parked);
        assertThat(listedIds(agency.apiKey())).isEmpty();
        assertThat(api.get("/api/v1/unmapped-events", null).statusCode()).isEqualTo(401);
    }
}
