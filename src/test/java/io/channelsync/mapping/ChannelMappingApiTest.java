package io.channelsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.sync.SyncJobs;
import org.springframework.beans.factory.annotation.Autowired;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelMappingApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAPPINGS = "/api/v1/channel-mappings";

    @Autowired
    SyncJobs syncJobs;

    @Test
    void aMappingMakesTheWholeRoundTripThroughTheDatabase() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        // 19 digits: more than a long's 18 safe decimal digits in a double (unique per run: one live holder per listing)
        String listing = "12" + String.format("%017d", java.util.concurrent.ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
        UUID connection = airbnbListingOf(agency, listing);

        // platform left out: it is the connection's
        var created = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, listing));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode mapping = JSON.readTree(created.body());
        String id = mapping.path("id").asText();
        assertThat(mapping.path("listing_id").isTextual()).isTrue();
        assertThat(mapping.path("listing_id").asText()).isEqualTo(listing);
        assertThat(mapping.path("platform").asText()).isEqualTo("airbnb");
        assertThat(mapping.path("connection_id").asText()).isEqualTo(connection.toString());
        assertThat(mapping.path("property_id").asText()).isEqualTo(property.toString());
        assertThat(mapping.path("sync_enabled").asBoolean()).isTrue();
        assertThat(mapping.has("warnings")).isFalse();
        assertThat(jdbc.queryForObject("select listing_id from channel_mappings where id = ?::uuid", String.class, id)).isEqualTo(listing);

        var read = JSON.readTree(api.get(MAPPINGS + "/" + id, agency.apiKey()).body());
        assertThat(read.path("listing_id").asText()).isEqualTo(listing);
        assertThat(read.path("deleted_at").isNull()).isTrue();

        var patched = api.patch(MAPPINGS + "/" + id, agency.apiKey(), "{\"sync_enabled\": false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).path("sync_enabled").asBoolean()).isFalse();
        assertThat(JSON.readTree(patched.body()).path("listing_id").asText()).isEqualTo(listing);

        String otherListing = TestData.uniqueListingId();
        airbnbListingOf(agency, otherListing);
        var replaced = api.put(MAPPINGS + "/" + id, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "platform": "airbnb", "listing_id": "%s", "sync_enabled": true}"""
                .formatted(property, connection, otherListing));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(jdbc.queryForMap("select listing_id, sync_enabled from channel_mappings where id = ?::uuid", id))
                .containsEntry("listing_id", otherListing).containsEntry("sync_enabled", true);

        var listed = JSON.readTree(api.get(MAPPINGS + "?property_id=" + property, agency.apiKey()).body());
        assertThat(listed.path("items")).hasSize(1);
        assertThat(listed.path("items").get(0).path("id").asText()).isEqualTo(id);

        assertThat(api.delete(MAPPINGS + "/" + id, agency.apiKey()).statusCode()).isEqualTo(204);
        assertThat(jdbc.queryForObject("select deleted_at is not null from channel_mappings where id = ?::uuid", Boolean.class, id)).isTrue();
        assertThat(JSON.readTree(api.get(MAPPINGS + "?property_id=" + property, agency.apiKey()).body()).path("items")).isEmpty();
        assertThat(api.delete(MAPPINGS + "/" + id, agency.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void aNineteenDigitListingIdSentAsAJsonNumberIsKeptDigitForDigit() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        // 19 digits above Long.MAX_VALUE, unique per run (a DATABASE_URL server keeps earlier runs' mappings)
        String listing = "98" + String.format("%017d", java.util.concurrent.ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
        UUID connection = airbnbListingOf(agency, listing);
        var created = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "platform": "airbnb", "listing_id": %s}""".formatted(property, connection, listing));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("listing_id").asText()).isEqualTo(listing);
    }

    @ParameterizedTest(name = "{0} listing_id ''{1}'' breaks {3}")
    @CsvSource({
            "airbnb,      12a45,                 listing_id, digits_only",
            "airbnb,      '',                    listing_id, digits_only",
            "airbnb,      -12345,                listing_id, digits_only",
            "airbnb,      1.5e18,                listing_id, digits_only",
            "airbnb,      012345,                listing_id, no_leading_zero",
            "airbnb,      12345678901234567890,  listing_id, too_long",
            "booking_com, 12x4567,               listing_id, digits_only",
            "booking_com, 0123456,               listing_id, no_leading_zero",
    })
    void aListingIdThatCannotBeRightIsRefusedNamingTheFieldAndTheRule(String platform, String listingId, String field,
                                                                       String rule) throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        String room = platform.equals("booking_com") ? ", \"room_id\": \"123456701\"" : "";
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "%s", "listing_id": "%s"%s}""".formatted(property, platform, listingId, room));
        assertValidationError(response, field, rule);
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where agency_id = ?", Integer.class, agency.id())).isZero();
    }

    @Test
    void anAirbnbMappingWithARoomIdIsRefused() throws Exception {
        var agency = data.agency();
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s", "room_id": "1"}"""
                .formatted(data.property(agency.id()), TestData.uniqueListingId()));
        assertValidationError(response, "room_id", "not_allowed");
    }

    @Test
    void aBookingComMappingNeedsANumericRoomId() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "booking_com", "listing_id": "1234567"}""".formatted(property)),
                "room_id", "required");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "booking_com", "listing_id": "1234567", "room_id": "12345-01"}""".formatted(property)),
                "room_id", "digits_only");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "booking_com", "listing_id": "1234567", "room_id": "%s"}""".formatted(property, "1".repeat(31))),
                "room_id", "too_long");
    }

    @Test
    void aBookingComRatePlanIdIsStoredReturnedAndPatchable() throws Exception {
        var agency = data.agency();
        String hotel = TestData.uniqueListingId().substring(0, 9);
        UUID connection = data.bookingComConnection(agency.id(), hotel);
        var created = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s", "room_id": "%s01", "rate_plan_id": "5012001"}"""
                .formatted(data.property(agency.id()), connection, hotel, hotel));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        assertThat(JSON.readTree(created.body()).path("rate_plan_id").asText()).isEqualTo("5012001");
        assertThat(jdbc.queryForObject("select rate_plan_id from channel_mappings where id = ?::uuid", String.class, id)).isEqualTo("5012001");

        // a PATCH that does not name it keeps it; one that sets it to null removes it
        var renamed = api.patch(MAPPINGS + "/" + id, agency.apiKey(), "{\"sync_enabled\": false}");
        assertThat(JSON.readTree(renamed.body()).path("rate_plan_id").asText()).as(renamed.body()).isEqualTo("5012001");
        var cleared = api.patch(MAPPINGS + "/" + id, agency.apiKey(), "{\"rate_plan_id\": null}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select rate_plan_id from channel_mappings where id = ?::uuid", String.class, id)).isNull();
    }

    @Test
    void aRatePlanIdIsRefusedWhenItIsNotDigitsOrTheChannelHasNoRatePlans() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "booking_com", "listing_id": "1234567", "room_id": "123456701", "rate_plan_id": "BAR-1"}"""
                .formatted(property)), "rate_plan_id", "digits_only");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s", "rate_plan_id": "5012001"}"""
                .formatted(property, TestData.uniqueListingId())), "rate_plan_id", "not_allowed");
    }

    @Test
    void aBookingComRoomIdStartingWithTheHotelIdIsAcceptedWithoutWarning() throws Exception {
        var agency = data.agency();
        String hotel = TestData.uniqueListingId().substring(0, 9);
        UUID connection = data.bookingComConnection(agency.id(), hotel);
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "platform": "booking_com", "listing_id": "%s", "room_id": "%s01"}"""
                .formatted(data.property(agency.id()), connection, hotel, hotel));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("room_id").asText()).isEqualTo(hotel + "01");
        assertThat(body.has("warnings")).isFalse();
    }

    @Test
    void aBookingComRoomIdNotStartingWithTheHotelIdIsAcceptedWithAWarning() throws Exception {
        var agency = data.agency();
        String hotel = TestData.uniqueListingId().substring(0, 9);
        UUID connection = data.bookingComConnection(agency.id(), hotel);
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "platform": "booking_com", "listing_id": "%s", "room_id": "555"}"""
                .formatted(data.property(agency.id()), connection, hotel));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode warning = JSON.readTree(response.body()).path("warnings").get(0);
        assertThat(warning.path("field").asText()).isEqualTo("room_id");
        assertThat(warning.path("rule").asText()).isEqualTo("room_id_prefix");
        assertThat(warning.path("message").asText()).contains(hotel);
    }

    @Test
    void patchingABookingComMappingToAirbnbNeedsTheRoomIdCleared() throws Exception {
        var agency = data.agency();
        String hotel = TestData.uniqueListingId().substring(0, 7);
        UUID mapping = data.bookingComMapping(agency.id(), data.property(agency.id()), hotel, hotel + "01");
        String listing = TestData.uniqueListingId();
        UUID airbnb = airbnbListingOf(agency, listing);
        assertValidationError(api.patch(MAPPINGS + "/" + mapping, agency.apiKey(), """
                {"connection_id": "%s", "platform": "airbnb", "listing_id": "%s"}""".formatted(airbnb, listing)), "room_id", "not_allowed");
        assertValidationError(api.patch(MAPPINGS + "/" + mapping, agency.apiKey(), """
                {"platform": "airbnb", "listing_id": "%s", "room_id": null}""".formatted(listing)), "platform", "platform_mismatch");
        var patched = api.patch(MAPPINGS + "/" + mapping, agency.apiKey(), """
                {"connection_id": "%s", "platform": "airbnb", "listing_id": "%s", "room_id": null}""".formatted(airbnb, listing));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(jdbc.queryForMap("select platform, listing_id, room_id from channel_mappings where id = ?", mapping))
                .containsEntry("platform", "airbnb").containsEntry("listing_id", listing).containsEntry("room_id", null);
    }

    @Test
    void anUnknownPlatformIsRefused() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "expedia", "listing_id": "123"}""".formatted(data.property(agency.id()))),
                "platform", "unknown_platform");
    }

    @Test
    void missingRequiredFieldsAreNamed() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), "{\"platform\": \"airbnb\", \"listing_id\": \"123\"}"),
                "property_id", "required");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb"}""".formatted(data.property(agency.id()))),
                "listing_id", "required");
    }

    @Test
    void anUnknownPropertyIsRefused() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s"}""".formatted(UUID.randomUUID(), TestData.uniqueListingId())),
                "property_id", "unknown_property");
    }

    @Test
    void aPropertyOfAnotherAgencyIsRefusedAsIfUnknown() throws Exception {
        var mine = data.agency();
        var theirs = data.agency();
        UUID theirProperty = data.property(theirs.id());
        var response = api.post(MAPPINGS, mine.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s"}""".formatted(theirProperty, TestData.uniqueListingId()));
        assertValidationError(response, "property_id", "unknown_property");
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where property_id = ?", Integer.class, theirProperty)).isZero();
    }

    @Test
    void anUnknownJsonFieldIsRefusedNamingIt() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "123", "sync_enable": false}""".formatted(data.property(agency.id()))),
                "sync_enable", "unknown_field");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "123", "sync_enabled": "maybe"}""".formatted(data.property(agency.id()))),
                "sync_enabled", "type");
    }

    @Test
    void theSameListingMappedTwiceIsAConflictNamingTheExistingMapping() throws Exception {
        var agency = data.agency();
        String listing = TestData.uniqueListingId();
        UUID existing = data.airbnbMapping(agency.id(), data.property(agency.id()), listing);
        UUID connection = airbnbListingOf(agency, listing);
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(data.property(agency.id()), connection, listing));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("conflict");
        assertThat(body.path("conflict").asText()).isEqualTo("listing_already_mapped");
        assertThat(body.path("existing_mapping_id").asText()).isEqualTo(existing.toString());
    }

    @Test
    void aSecondMappingOfAPropertyOnAPlatformIsAConflictNamingTheExistingMapping() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        UUID existing = data.airbnbMapping(agency.id(), property, TestData.uniqueListingId());
        String listing = TestData.uniqueListingId();
        UUID connection = airbnbListingOf(agency, listing);
        var response = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, listing));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("conflict").asText()).isEqualTo("property_already_mapped");
        assertThat(body.path("existing_mapping_id").asText()).isEqualTo(existing.toString());
    }

    @Test
    void aListingMappedByAnotherAgencyIsAConflictThatDoesNotRevealTheirMapping() throws Exception {
        var theirs = data.agency();
        String listing = TestData.uniqueListingId();
        UUID their = data.airbnbMapping(theirs.id(), data.property(theirs.id()), listing);
        var mine = data.agency();
        // Airbnb says my host owns it (the host moved the listing to my agency's account): the old mapping still holds it
        UUID connection = airbnbListingOf(mine, listing);
        var response = api.post(MAPPINGS, mine.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(data.property(mine.id()), connection, listing));
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("listing_already_mapped").doesNotContain(their.toString());
    }

    @Test
    void aMappingWithoutAConnectionIsRefusedOnceItsIdsAreValid() throws Exception {
        var agency = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s"}""".formatted(data.property(agency.id()), TestData.uniqueListingId())),
                "connection_id", "required");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "listing_id": "%s"}""".formatted(data.property(agency.id()), TestData.uniqueListingId())),
                "platform", "required");
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}"""
                .formatted(data.property(agency.id()), UUID.randomUUID(), TestData.uniqueListingId())), "connection_id", "unknown_connection");
        var other = data.agency();
        assertValidationError(api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}"""
                .formatted(data.property(agency.id()), data.airbnbConnection(other.id()), TestData.uniqueListingId())),
                "connection_id", "unknown_connection");
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where agency_id = ?", Integer.class, agency.id())).isZero();
    }

    @Test
    void aMappingMadeBeforeConnectionsCanStillBePausedButNotMovedToAnotherListingWithoutOne() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        UUID legacy = jdbc.queryForObject("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id) values (?, ?, 'airbnb', ?) returning id""",
                UUID.class, agency.id(), property, TestData.uniqueListingId());
        assertThat(api.patch(MAPPINGS + "/" + legacy, agency.apiKey(), "{\"sync_enabled\": false}").statusCode()).isEqualTo(200);
        assertValidationError(api.patch(MAPPINGS + "/" + legacy, agency.apiKey(), """
                {"listing_id": "%s"}""".formatted(TestData.uniqueListingId())), "connection_id", "required");
    }

    @Test
    void twoConcurrentCreatesOfTheSameListingGiveOne201AndOne409NamingTheWinner() throws Exception {
        var agency = data.agency();
        String listing = TestData.uniqueListingId();
        List<UUID> properties = List.of(data.property(agency.id()), data.property(agency.id()));
        UUID connection = airbnbListingOf(agency, listing);
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<HttpResponse<String>>> calls = properties.stream()
                .map(property -> CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return api.post(MAPPINGS, agency.apiKey(), """
                            {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connection, listing));
                })).toList();
        List<HttpResponse<String>> responses = calls.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 409);
        HttpResponse<String> winner = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        HttpResponse<String> loser = responses.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        String winnerId = JSON.readTree(winner.body()).path("id").asText();
        assertThat(JSON.readTree(loser.body()).path("existing_mapping_id").asText()).isEqualTo(winnerId);
        assertThat(jdbc.queryForObject("select count(*) from channel_mappings where listing_id = ? and deleted_at is null",
                Integer.class, listing)).isOne();
    }

    @Test
    void aDeletedMappingStopsSyncingKeepsItsSyncLogsAndFreesItsListing() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        UUID mapping = data.airbnbMapping(agency.id(), property, listing);
        long syncLog = jdbc.queryForObject("""
                insert into sync_logs (agency_id, mapping_id, operation, status) values (?, ?, 'push_availability', 'succeeded')
                returning id""", Long.class, agency.id(), mapping);

        assertThat(api.delete(MAPPINGS + "/" + mapping, agency.apiKey()).statusCode()).isEqualTo(204);

        assertThat(jdbc.queryForObject("select mapping_id from sync_logs where id = ?", UUID.class, syncLog)).isEqualTo(mapping);
        var history = JSON.readTree(api.get(MAPPINGS + "/" + mapping, agency.apiKey()).body());
        assertThat(history.path("deleted_at").isNull()).isFalse();
        assertThat(JSON.readTree(api.get(MAPPINGS + "?include_deleted=true&property_id=" + property, agency.apiKey()).body())
                .path("items")).hasSize(1);
        assertThat(syncJobs.createForProperty(property, null, null, null, null, "test")).as("no sync job for a deleted mapping").isEmpty();
        assertThat(api.patch(MAPPINGS + "/" + mapping, agency.apiKey(), "{\"sync_enabled\": true}").statusCode()).isEqualTo(404);

        var again = api.post(MAPPINGS, agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, airbnbListingOf(agency, listing), listing));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    }

    @Test
    void anotherAgencysMappingIsNotFoundForEveryVerb() throws Exception {
        var theirs = data.agency();
        UUID theirProperty = data.property(theirs.id());
        UUID their = data.airbnbMapping(theirs.id(), theirProperty, TestData.uniqueListingId());
        var mine = data.agency();
        String path = MAPPINGS + "/" + their;

        assertNotFound(api.get(path, mine.apiKey()));
        assertNotFound(api.patch(path, mine.apiKey(), "{\"sync_enabled\": false}"));
        assertNotFound(api.put(path, mine.apiKey(), """
                {"property_id": "%s", "platform": "airbnb", "listing_id": "%s"}""".formatted(theirProperty, TestData.uniqueListingId())));
        assertNotFound(api.delete(path, mine.apiKey()));
        assertThat(JSON.readTree(api.get(MAPPINGS + "?property_id=" + theirProperty, mine.apiKey()).body()).path("items")).isEmpty();
        assertThat(jdbc.queryForMap("select sync_enabled, deleted_at from channel_mappings where id = ?", their))
                .containsEntry("sync_enabled", true).containsEntry("deleted_at", null);
    }

    @Test
    void anOperatorKeySeesAndChangesEveryAgencysMappings() throws Exception {
        var first = data.agency();
        var second = data.agency();
        UUID firstMapping = data.airbnbMapping(first.id(), data.property(first.id()), TestData.uniqueListingId());
        UUID secondMapping = data.airbnbMapping(second.id(), data.property(second.id()), TestData.uniqueListingId());

        assertThat(api.get(MAPPINGS + "/" + firstMapping, OPERATOR_KEY).statusCode()).isEqualTo(200);
        assertThat(api.get(MAPPINGS + "/" + secondMapping, OPERATOR_KEY).statusCode()).isEqualTo(200);
        var ofSecond = JSON.readTree(api.get(MAPPINGS + "?agency_id=" + second.id(), OPERATOR_KEY).body());
        assertThat(ofSecond.path("items")).extracting(n -> n.path("id").asText()).containsExactly(secondMapping.toString());

        UUID property = data.property(second.id());
        String hotel = TestData.uniqueListingId();
        UUID connection = data.bookingComConnection(second.id(), hotel);
        var created = api.post(MAPPINGS, OPERATOR_KEY, """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s", "room_id": "%s01"}""".formatted(property, connection, hotel, hotel));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("agency_id").asText()).isEqualTo(second.id().toString());
        assertThat(api.patch(MAPPINGS + "/" + firstMapping, OPERATOR_KEY, "{\"sync_enabled\": false}").statusCode()).isEqualTo(200);
    }

    @Test
    void listsArePaginated() throws Exception {
        var agency = data.agency();
        IntStream.range(0, 3).forEach(i -> data.airbnbMapping(agency.id(), data.property(agency.id()), TestData.uniqueListingId()));
        var firstPage = JSON.readTree(api.get(MAPPINGS + "?limit=2", agency.apiKey()).body());
        assertThat(firstPage.path("items")).hasSize(2);
        assertThat(firstPage.path("next_offset").asInt()).isEqualTo(2);
        var lastPage = JSON.readTree(api.get(MAPPINGS + "?limit=2&offset=2", agency.apiKey()).body());
        assertThat(lastPage.path("items")).hasSize(1);
        assertThat(lastPage.path("next_offset").isNull()).isTrue();
        assertValidationError(api.get(MAPPINGS + "?limit=0", agency.apiKey()), "limit", "range");
        assertValidationError(api.get(MAPPINGS + "?platform=expedia", agency.apiKey()), "platform", "unknown_platform");
    }

    @Test
    void noKeyIsA401() {
        assertThat(api.get(MAPPINGS, null).statusCode()).isEqualTo(401);
        assertThat(api.post(MAPPINGS, null, "{}").statusCode()).isEqualTo(401);
        assertThat(api.delete(MAPPINGS + "/" + UUID.randomUUID(), "csk_wrong").statusCode()).isEqualTo(401);
    }

    /** The agency's Airbnb connection; Airbnb answers the listing read, with that host's token, as the host's listing. */
    private UUID airbnbListingOf(TestData.Agency agency, String listing) {
        UUID connection = data.airbnbConnection(agency.id());
        String host = data.airbnbHost(connection);
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + listing))
                .withHeader("X-Airbnb-OAuth-Token", equalTo(TestData.oauthToken(host)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"listing\": {\"id\": " + listing + ", \"user_id\": " + host + "}}")));
        return connection;
    }

    static void assertValidationError(HttpResponse<String> response, String field, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(Map.of("error", body.path("error").asText(), "field", body.path("field").asText(), "rule", body.path("rule").asText()))
                .as(response.body())
                .isEqualTo(Map.of("error", "validation_failed", "field", field, "rule", rule));
        assertThat(body.path("message").asText()).isNotBlank();
    }

    private static void assertNotFound(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
