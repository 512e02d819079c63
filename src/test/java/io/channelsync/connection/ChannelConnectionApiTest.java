package io.channelsync.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.security.CredentialCipher;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelConnectionApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTIONS = "/api/v1/channel-connections";
    private static final String MAPPINGS = "/api/v1/channel-mappings";

    @Autowired
    ChannelConnections connections;
    @Autowired
    CredentialCipher cipher;

    private static String airbnbBody(String host, String token) {
        return """
                {"platform": "airbnb", "account_id": "%s", "credentials": {"oauth_token": "%s"}}""".formatted(host, token);
    }

    private static String hotel() {
        return TestData.uniqueListingId().substring(0, 8);
    }

    @Test
    void credentialsSealedAgainAreReadAgainNotServedFromWhatWasOpenedBefore() throws Exception {
        var agency = data.agency();
        String host = TestData.uniqueListingId();
        var created = api.post(CONNECTIONS, agency.apiKey(), airbnbBody(host, "first-token"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(JSON.readTree(created.body()).path("id").asText());
        assertThat(connections.credentials(id).orElseThrow().path("oauth_token").asText()).isEqualTo("first-token");

        // what a re-encryption or an operator's fix writes: other sealed bytes for the same connection
        jdbc.update("update channel_connections set credentials = ? where id = ?",
                cipher.encrypt("{\"oauth_token\": \"second-token\"}".getBytes(StandardCharsets.UTF_8), id.toString()), id);

        assertThat(connections.credentials(id).orElseThrow().path("oauth_token").asText()).isEqualTo("second-token");
        assertThat(api.delete(CONNECTIONS + "/" + id, agency.apiKey()).statusCode()).isEqualTo(204);
        assertThat(connections.credentials(id)).isEmpty();
    }

    @Test
    void anAirbnbConnectionIsCreatedReadListedAndDeletedWithoutEverShowingItsToken() throws Exception {
        var agency = data.agency();
        String host = TestData.uniqueListingId();
        String token = "host-token-" + UUID.randomUUID();

        var created = api.post(CONNECTIONS, agency.apiKey(), airbnbBody(host, token));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(token);
        JsonNode connection = JSON.readTree(created.body());
        String id = connection.path("id").asText();
        assertThat(connection.path("platform").asText()).isEqualTo("airbnb");
        assertThat(connection.path("account_id").asText()).isEqualTo(host);
        assertThat(connection.path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(connection.path("status").asText()).isEqualTo("active");
        assertThat(connection.path("has_credentials").asBoolean()).isTrue();
        assertThat(connection.has("credentials")).isFalse();

        // at rest: AES-GCM ciphertext (nonce + ciphertext + tag), not the token; it decrypts to the token
        byte[] stored = jdbc.queryForObject("select credentials from channel_connections where id = ?::uuid", byte[].class, id);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(token);
        assertThat(stored.length).isGreaterThanOrEqualTo(12 + 16 + token.length());
        assertThat(connections.credentials(UUID.fromString(id)).orElseThrow().path("oauth_token").asText()).isEqualTo(token);
        // a second identical token is sealed under another random nonce
        var other = data.agency();
        var second = api.post(CONNECTIONS, other.apiKey(), airbnbBody(TestData.uniqueListingId(), token));
        byte[] secondStored = jdbc.queryForObject("select credentials from channel_connections where id = ?::uuid", byte[].class,
                JSON.readTree(second.body()).path("id").asText());
        assertThat(secondStored).isNotEqualTo(stored);

        var read = api.get(CONNECTIONS + "/" + id, agency.apiKey());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(token).contains(host);
        var listed = api.get(CONNECTIONS, agency.apiKey());
        assertThat(listed.body()).doesNotContain(token);
        assertThat(JSON.readTree(listed.body()).path("items")).extracting(n -> n.path("id").asText()).containsExactly(id);

        assertThat(api.delete(CONNECTIONS + "/" + id, agency.apiKey()).statusCode()).isEqualTo(204);
        assertThat(jdbc.queryForMap("select status, credentials from channel_connections where id = ?::uuid", id))
                .containsEntry("status", "deleted").containsEntry("credentials", null);
        assertThat(JSON.readTree(api.get(CONNECTIONS, agency.apiKey()).body()).path("items")).isEmpty();
        assertThat(JSON.readTree(api.get(CONNECTIONS + "?include_deleted=true", agency.apiKey()).body()).path("items")).hasSize(1);
        assertThat(api.delete(CONNECTIONS + "/" + id, agency.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void theTokenReachesNoLogLineOnSuccessNorOnRefusal(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        var agency = data.agency();
        String host = TestData.uniqueListingId();
        String token = "never-logged-" + UUID.randomUUID();
        var created = api.post(CONNECTIONS, agency.apiKey(), airbnbBody(host, token));
        assertThat(created.statusCode()).isEqualTo(201);
        api.get(CONNECTIONS + "/" + JSON.readTree(created.body()).path("id").asText(), agency.apiKey());
        assertThat(api.post(CONNECTIONS, data.agency().apiKey(), airbnbBody(host, token)).statusCode()).as("same host").isEqualTo(409);
        assertThat(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "account_id": "1", "credentials": {"oauth_token": "%s", "extra": 1}}""".formatted(token)).statusCode())
                .isEqualTo(422);

        assertThat(output.getAll()).contains("Channel connection").doesNotContain(token);
    }

    @Test
    void aBookingComConnectionHoldsHotelIdsAndNoCredentials() throws Exception {
        var agency = data.agency();
        String first = hotel();
        String second = hotel();
        var created = api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s", "%s"]}""".formatted(first, second));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode connection = JSON.readTree(created.body());
        assertThat(connection.path("hotel_ids")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first, second);
        assertThat(connection.path("has_credentials").asBoolean()).isFalse();
        assertThat(connection.path("account_id").isNull()).isTrue();

        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "booking_com", "hotel_ids": []}"""), "hotel_ids", "required");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["12a"]}"""), "hotel_ids[0]", "digits_only");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s"], "credentials": {"oauth_token": "x"}}""".formatted(hotel())),
                "credentials", "not_allowed");
    }

    @Test
    void invalidBodiesAreRefusedNamingTheFieldAndTheRule() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "account_id": "123", "credentials": {"oauth_token": "t", "refresh_token": "r"}}"""),
                "refresh_token", "unknown_field");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "account_id": "123", "credentials": {"oauth_token": "t"}, "host": "x"}"""), "host", "unknown_field");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "account_id": "123"}"""), "credentials.oauth_token", "required");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "credentials": {"oauth_token": "t"}}"""), "account_id", "required");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "airbnb", "account_id": "12x", "credentials": {"oauth_token": "t"}}"""), "account_id", "digits_only");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), """
                {"platform": "expedia", "account_id": "1"}"""), "platform", "unknown_platform");
        assertValidationError(api.post(CONNECTIONS, agency.apiKey(), "{\"account_id\": \"1\"}"), "platform", "required");
        assertValidationError(api.post(CONNECTIONS, OPERATOR_KEY, airbnbBody(TestData.uniqueListingId(), "t")), "agency_id", "required");
        assertThat(jdbc.queryForObject("select count(*) from channel_connections where agency_id = ?", Integer.class, agency.id())).isZero();
    }

    @Test
    void anotherAgencysConnectionIsNotFoundAndAnOperatorNamesTheAgency() throws Exception {
        var theirs = data.agency();
        var created = api.post(CONNECTIONS, OPERATOR_KEY, """
                {"platform": "booking_com", "hotel_ids": ["%s"], "agency_id": "%s"}""".formatted(hotel(), theirs.id()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        assertThat(JSON.readTree(created.body()).path("agency_id").asText()).isEqualTo(theirs.id().toString());

        var mine = data.agency();
        assertThat(api.get(CONNECTIONS + "/" + id, mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.delete(CONNECTIONS + "/" + id, mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(api.get(CONNECTIONS, mine.apiKey()).body()).path("items")).isEmpty();
        assertValidationError(api.post(CONNECTIONS, mine.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s"], "agency_id": "%s"}""".formatted(hotel(), theirs.id())),
                "agency_id", "unknown_agency");
        assertThat(api.get(CONNECTIONS + "/" + id, theirs.apiKey()).statusCode()).isEqualTo(200);
        assertThat(api.get(CONNECTIONS + "/" + id, OPERATOR_KEY).statusCode()).isEqualTo(200);
        assertThat(api.get(CONNECTIONS + "/not-a-uuid", theirs.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void listsArePaged() throws Exception {
        var agency = data.agency();
        for (int i = 0; i < 3; i++) {
            assertThat(api.post(CONNECTIONS, agency.apiKey(), airbnbBody(TestData.uniqueListingId(), "t" + i)).statusCode()).isEqualTo(201);
        }
        var first = JSON.readTree(api.get(CONNECTIONS + "?limit=2", agency.apiKey()).body());
        assertThat(first.path("items")).hasSize(2);
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("offset").asInt()).isZero();
        assertThat(first.path("next_offset").asInt()).isEqualTo(2);
        var last = JSON.readTree(api.get(CONNECTIONS + "?limit=2&offset=2", agency.apiKey()).body());
        assertThat(last.path("items")).hasSize(1);
        assertThat(last.path("next_offset").isNull()).isTrue();
        assertValidationError(api.get(CONNECTIONS + "?limit=0", agency.apiKey()), "limit", "range");
    }

    @Test
    void twoAgenciesCannotConnectTheSameHostOrHotel() throws Exception {
        var first = data.agency();
        var second = data.agency();
        String host = TestData.uniqueListingId();
        String hotel = hotel();
        assertThat(api.post(CONNECTIONS, first.apiKey(), airbnbBody(host, "a")).statusCode()).isEqualTo(201);
        assertThat(api.post(CONNECTIONS, first.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s"]}""".formatted(hotel)).statusCode()).isEqualTo(201);

        var sameHost = api.post(CONNECTIONS, second.apiKey(), airbnbBody(host, "b"));
        assertThat(sameHost.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(sameHost.body()).path("conflict").asText()).isEqualTo("account_already_connected");
        var sameHotel = api.post(CONNECTIONS, second.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s", "%s"]}""".formatted(hotel(), hotel));
        assertThat(sameHotel.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(sameHotel.body()).path("conflict").asText()).isEqualTo("hotel_already_connected");
        assertThat(jdbc.queryForObject("select count(*) from channel_connections where agency_id = ?", Integer.class, second.id()))
                .as("nothing of the refused connection is kept").isZero();
    }

    @Test
    void anAirbnbListingOfAnotherHostIsNotOwned() throws Exception {
        var agency = data.agency();
        UUID connection = data.airbnbConnection(agency.id());
        String host = data.airbnbHost(connection);
        String listing = TestData.uniqueListingId();
        String otherHost = TestData.uniqueListingId();
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + listing)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"listing\": {\"id\": " + listing + ", \"user_id\": " + otherHost + ", \"user\": {\"id\": " + otherHost + "}}}")));

        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(data.property(agency.id()), connection, listing));

        assertValidationError(response, "listing_id", "listing_not_owned");
        CHANNELS.verify(getRequestedFor(urlPathEqualTo("/airbnb/v2/listings/" + listing))
                .withHeader("X-Airbnb-OAuth-Token", equalTo(TestData.oauthToken(host)))
                .withHeader("X-Airbnb-API-Key", equalTo("test-airbnb-api-key")));
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where agency_id = ?", Integer.class, agency.id())).isZero();
    }

    @Test
    void anAirbnbListingTheHostCannotSeeIsNotOwnedAndAnAirbnbOutageIsA502() throws Exception {
        var agency = data.agency();
        UUID connection = data.airbnbConnection(agency.id());
        String hidden = TestData.uniqueListingId();
        String down = TestData.uniqueListingId();
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + hidden)).willReturn(aResponse().withStatus(404)));
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + down)).willReturn(aResponse().withStatus(503)));
        UUID property = data.property(agency.id());
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, hidden)),
                "listing_id", "listing_not_owned");
        var outage = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, down));
        assertThat(outage.statusCode()).as(outage.body()).isEqualTo(502);
        assertThat(JSON.readTree(outage.body()).path("error").asText()).isEqualTo("channel_unavailable");
    }

    @Test
    void aBookingComHotelTheConnectionDoesNotHoldIsNotOwned() throws Exception {
        var agency = data.agency();
        String held = hotel();
        UUID connection = data.bookingComConnection(agency.id(), held);
        String notHeld = hotel();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s", "room_id": "%s01"}"""
                .formatted(data.property(agency.id()), connection, notHeld, notHeld)), "listing_id", "listing_not_owned");
        var ok = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s", "room_id": "%s01"}"""
                .formatted(data.property(agency.id()), connection, held, held));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(JSON.readTree(ok.body()).path("platform").asText()).isEqualTo("booking_com");
    }

    @Test
    void twoAgenciesCannotHoldTheSameListing() throws Exception {
        // agency A holds an Airbnb listing of its host and a Booking.com hotel
        var a = data.agency();
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(a.id(), data.property(a.id()), listing);
        String hostOfA = data.airbnbHost(data.airbnbConnection(a.id()));
        String hotel = hotel();
        data.bookingComMapping(a.id(), data.property(a.id()), hotel, hotel + "01");
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + listing)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"listing\": {\"id\": " + listing + ", \"user_id\": " + hostOfA + "}}")));

        // agency B, with its own host and hotels, tries to map them: refused, and nothing of B is stored
        var b = data.agency();
        UUID property = data.property(b.id());
        assertValidationError(api.post(MAPPINGS, b.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, data.airbnbConnection(b.id()), listing)),
                "listing_id", "listing_not_owned");
        UUID bookingOfB = data.bookingComConnection(b.id(), hotel());
        assertValidationError(api.post(MAPPINGS, b.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s", "room_id": "%s02"}""".formatted(property, bookingOfB, hotel, hotel)),
                "listing_id", "listing_not_owned");
        // nor can B take A's host or hotel into a connection of its own
        assertThat(api.post(CONNECTIONS, b.apiKey(), airbnbBody(hostOfA, "t")).statusCode()).isEqualTo(409);
        assertThat(api.post(CONNECTIONS, b.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s"]}""".formatted(hotel)).statusCode()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where agency_id = ?", Integer.class, b.id())).isZero();
    }

    @Test
    void aConnectionUsedByALiveMappingIsNotDeletedUntilTheMappingIs() throws Exception {
        var agency = data.agency();
        String hotel = hotel();
        UUID mapping = data.bookingComMapping(agency.id(), data.property(agency.id()), hotel, hotel + "01");
        UUID connection = data.bookingComConnection(agency.id(), hotel);
        var refused = api.delete(CONNECTIONS + "/" + connection, agency.apiKey());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("conflict").asText()).isEqualTo("connection_in_use");

        assertThat(api.delete(MAPPINGS + "/" + mapping, agency.apiKey()).statusCode()).isEqualTo(204);
        assertThat(api.delete(CONNECTIONS + "/" + connection, agency.apiKey()).statusCode()).isEqualTo(204);
        // its hotel is released: another agency may connect it now
        var other = data.agency();
        assertThat(api.post(CONNECTIONS, other.apiKey(), """
                {"platform": "booking_com", "hotel_ids": ["%s"]}""".formatted(hotel)).statusCode()).isEqualTo(201);
    }

    private static void assertValidationError(HttpResponse<String> response, String field, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(Map.of("error", body.path("error").asText(), "field", body.path("field").asText(), "rule", body.path("rule").asText()))
                .as(response.body())
                .isEqualTo(Map.of("error", "validation_failed", "field", field, "rule", rule));
    }
}
