package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbound event log (issue 14.1) over real HTTP: the API beside the intake under /api/v1/webhooks (each path
 * routed to its own endpoint, the API needing a key and the intake none), listing with filters and tenancy, one
 * event with its attempts and without its credentials, rejected deliveries for operators, and replay.
 */
class WebhookEventLogTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestData.Agency agency;
    private TestData.Agency otherAgency;
    private UUID property;
    private String listing;
    private String otherListing;

    @BeforeEach
    void twoAgenciesOnAirbnb() {
        agency = data.agency();
        property = data.property(agency.id());
        listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        otherAgency = data.agency();
        otherListing = TestData.uniqueListingId();
        data.airbnbMapping(otherAgency.id(), data.property(otherAgency.id()), otherListing);
    }

    private static String code() {
        return "HM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private long post(byte[] body) {
        HttpResponse<String> response = api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("id").asLong();
    }

    private long postAndAwait(byte[] body, String status) {
        long id = post(body);
        awaitStatus(id, status, 1);
        return id;
    }

    /** Until the event has the status and its attempts are recorded (they commit together). */
    private void awaitStatus(long id, String status, int attempts) {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select status = ? and (select count(*) from webhook_attempts where webhook_log_id = ?) = ? from webhook_log where id = ?",
                Boolean.class, status, id, attempts, id));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    /** A stored header's value, by its name in any case (HTTP header names are case-insensitive). */
    private static String header(JsonNode event, String name) {
        List<String> values = new ArrayList<>();
        event.path("headers").fields().forEachRemaining(h -> {
            if (h.getKey().equalsIgnoreCase(name)) {
                values.add(h.getValue().asText());
            }
        });
        assertThat(values).as("header %s in %s", name, event.path("headers")).hasSize(1);
        return values.get(0);
    }

    private List<Long> ids(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        json(response).path("items").forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    private Map<String, Object> booking(String code) {
        return jdbc.queryForMap("select check_in::text as check_in, check_out::text as check_out, status from bookings "
                + "where platform = 'airbnb' and reservation_code = ?", code);
    }

    @Test
    void theEventLogNeedsAnApiKeyWhileTheIntakeBesideItNeedsOnlyItsSignature() {
        long id = postAndAwait(airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing,
                "2027-01-01", "2027-01-03", 2, "accept"), "processed");
        int rejectedBefore = jdbc.queryForObject("select count(*) from webhook_log where status = 'rejected'", Integer.class);

        assertThat(api.get("/api/v1/webhooks", null).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(401);
        assertThat(api.post("/api/v1/webhooks/" + id + "/replay", null, "").statusCode()).isEqualTo(401);
        HttpResponse<String> bulk = api.post("/api/v1/webhooks/replay", null, "{}");
        assertThat(bulk.statusCode()).isEqualTo(401);
        assertThat(json(bulk).path("error").asText()).isEqualTo("unauthorized");
        // with a key each reaches its own endpoint: the literal /replay is not taken for a platform named "replay"
        assertThat(api.get("/api/v1/webhooks", agency.apiKey()).statusCode()).isEqualTo(200);
        assertThat(json(api.get("/api/v1/webhooks/" + id, agency.apiKey())).path("id").asLong()).isEqualTo(id);
        assertThat(api.post("/api/v1/webhooks/replay", agency.apiKey(), "{\"listing_id\": \"" + listing + "\"}").statusCode())
                .isEqualTo(202);
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where status = 'rejected'", Integer.class))
                .as("nothing under /api/v1/webhooks/replay was taken for a delivery").isEqualTo(rejectedBefore);
        // the intake still needs no key (its signature is checked), and a key does not replace a signature
        byte[] body = airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing, "2027-01-05", "2027-01-07", 2, "accept");
        assertThat(api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body)).statusCode()).isEqualTo(202);
        assertThat(api.postRaw(AIRBNB_PATH, body, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + OPERATOR_KEY))
                .statusCode()).isEqualTo(401);
        // and Booking.com's token endpoint is still reached without a key: its own client authentication answers
        HttpResponse<String> token = api.postRaw("/api/v1/webhooks/booking_com/token",
                "grant_type=client_credentials&client_id=test-cns-client&client_secret=wrong".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(json(token).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void anAgencySeesOnlyTheEventsOfItsOwnMappingsAndTheFiltersNarrowTheList() {
        Instant before = Instant.now().minusSeconds(1);
        long mine = postAndAwait(airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing,
                "2027-02-01", "2027-02-03", 2, "accept"), "processed");
        long theirs = postAndAwait(airbnbReservation(null, "reservation_acceptance_confirmation", code(), otherListing,
                "2027-02-01", "2027-02-03", 2, "accept"), "processed");

        List<Long> seen = ids(api.get("/api/v1/webhooks?limit=200", agency.apiKey()));
        assertThat(seen).contains(mine).doesNotContain(theirs);
        assertThat(api.get("/api/v1/webhooks/" + theirs, agency.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/webhooks/" + theirs + "/replay", agency.apiKey(), "").statusCode()).isEqualTo(404);
        // an agency's agency_id filter never widens what it sees
        assertThat(ids(api.get("/api/v1/webhooks?agency_id=" + otherAgency.id(), agency.apiKey()))).isEmpty();

        // operators see both, and filter by agency, listing, platform, status and time
        assertThat(ids(api.get("/api/v1/webhooks?agency_id=" + agency.id(), OPERATOR_KEY))).containsExactly(mine);
        assertThat(ids(api.get("/api/v1/webhooks?listing_id=" + otherListing, OPERATOR_KEY))).containsExactly(theirs);
        String from = URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
        assertThat(ids(api.get("/api/v1/webhooks?platform=airbnb&status=processed&limit=200&from=" + from, OPERATOR_KEY)))
                .as("newest first").containsSubsequence(theirs, mine);
        assertThat(ids(api.get("/api/v1/webhooks?listing_id=" + listing + "&to=" + from, OPERATOR_KEY))).isEmpty();
        assertThat(ids(api.get("/api/v1/webhooks?listing_id=" + listing + "&status=failed", OPERATOR_KEY))).isEmpty();

        JsonNode page = json(api.get("/api/v1/webhooks?listing_id=" + listing, agency.apiKey()));
        JsonNode item = page.path("items").get(0);
        assertThat(item.path("platform").asText()).isEqualTo("airbnb");
        assertThat(item.path("status").asText()).isEqualTo("processed");
        assertThat(item.path("listing_id").asText()).isEqualTo(listing);
        assertThat(item.path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(item.path("attempt_count").asInt()).isEqualTo(1);
        assertThat(item.has("received_at")).isTrue();
        assertThat(page.path("limit").asInt()).isEqualTo(50);
        assertThat(page.path("next_offset").isNull()).isTrue();

        assertThat(api.get("/api/v1/webhooks?status=done", OPERATOR_KEY).statusCode()).isEqualTo(422);
        HttpResponse<String> badTime = api.get("/api/v1/webhooks?from=yesterday", OPERATOR_KEY);
        assertThat(badTime.statusCode()).isEqualTo(422);
        assertThat(json(badTime).path("field").asText()).isEqualTo("from");
        assertThat(api.get("/api/v1/webhooks/abc", OPERATOR_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void oneEventShowsItsRawBodyAndAttemptsButNoSignature() {
        byte[] body = airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing, "2027-03-01", "2027-03-04", 2, "accept");
        long id = postAndAwait(body, "processed");

        HttpResponse<String> response = api.get("/api/v1/webhooks/" + id, agency.apiKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = json(response);
        assertThat(event.path("raw_body").asText()).isEqualTo(new String(body, StandardCharsets.UTF_8)).contains("Zoë");
        assertThat(event.path("raw_body_encoding").asText()).isEqualTo("utf-8");
        assertThat(event.path("payload").path("reservation").path("listing_id").asText()).isEqualTo(listing);
        assertThat(header(event, "X-Airbnb-Signature")).isEqualTo("[redacted]");
        assertThat(response.body()).doesNotContain("v1=");
        assertThat(header(event, "Content-Type")).isEqualTo("application/json");
        assertThat(event.path("replayable").asBoolean()).isTrue();
        JsonNode attempts = event.path("attempts");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).path("attempt_number").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("processed");
        assertThat(attempts.get(0).path("error").isNull()).isTrue();
        assertThat(Instant.parse(attempts.get(0).path("finished_at").asText().replace("+00:00", "Z")))
                .isAfterOrEqualTo(Instant.parse(attempts.get(0).path("started_at").asText().replace("+00:00", "Z")));
    }

    @Test
    void aRejectedDeliveryIsListedForOperatorsOnly() {
        byte[] body = airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing, "2027-04-01", "2027-04-03", 2, "accept");
        Instant before = Instant.now().minusSeconds(1);
        assertThat(api.postRaw(AIRBNB_PATH, body, airbnbHeaders("a-wrong-secret", now(), body)).statusCode()).isEqualTo(401);

        String query = "/api/v1/webhooks?platform=airbnb&status=rejected&from=" + URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
        JsonNode rejected = json(api.get(query, OPERATOR_KEY)).path("items");
        assertThat(rejected).isNotEmpty();
        long id = rejected.get(0).path("id").asLong();
        assertThat(rejected.get(0).path("error").asText()).containsIgnoringCase("signature");
        assertThat(ids(api.get(query, agency.apiKey()))).isEmpty();
        assertThat(api.get("/api/v1/webhooks/" + id, agency.apiKey()).statusCode()).isEqualTo(404);
        // the operator reads it, signature redacted, and cannot replay what was never trusted
        JsonNode event = json(api.get("/api/v1/webhooks/" + id, OPERATOR_KEY));
        assertThat(header(event, "X-Airbnb-Signature")).isEqualTo("[redacted]");
        assertThat(event.path("replayable").asBoolean()).isFalse();
        HttpResponse<String> replay = api.post("/api/v1/webhooks/" + id + "/replay", OPERATOR_KEY, "");
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(json(replay).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void replayingAnOldEventChangesNothingButIsRecordedAsAnAttempt() {
        String code = code();
        byte[] old = withUpdatedAt(airbnbReservation("evt-" + UUID.randomUUID(), "reservation_acceptance_confirmation", code, listing,
                "2027-05-01", "2027-05-04", 2, "accept"), "2026-11-01T10:00:00Z");
        byte[] newer = withUpdatedAt(airbnbReservation("evt-" + UUID.randomUUID(), "reservation_alteration_confirmation", code, listing,
                "2027-05-02", "2027-05-06", 2, "accept"), "2026-11-02T10:00:00Z");
        long oldId = postAndAwait(old, "processed");
        postAndAwait(newer, "processed");
        assertThat(booking(code)).containsEntry("check_in", "2027-05-02").containsEntry("check_out", "2027-05-06");
        int jobs = jdbc.queryForObject("select count(*) from sync_logs where payload::text like ?", Integer.class, "%" + code + "%");

        HttpResponse<String> replay = api.post("/api/v1/webhooks/" + oldId + "/replay", agency.apiKey(), "");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(json(replay).path("status").asText()).isEqualTo("queued");
        awaitStatus(oldId, "processed", 2);
        assertThat(booking(code)).containsEntry("check_in", "2027-05-02").containsEntry("check_out", "2027-05-06");
        assertThat(jdbc.queryForObject("select count(*) from sync_logs where payload::text like ?", Integer.class, "%" + code + "%"))
                .as("no sync job for a version that changed nothing").isEqualTo(jobs);
        JsonNode attempts = json(api.get("/api/v1/webhooks/" + oldId, agency.apiKey())).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).path("attempt_number").asInt()).isEqualTo(2);
        assertThat(attempts.get(1).path("outcome").asText()).isEqualTo("processed");
    }

    @Test
    void aBulkReplayTakesTheFailedEventsOfTheFilterAndRecordsEachAttemptWithItsError() {
        // a reservation for no guest cannot be stored: the event fails (no retry: nothing threw)
        byte[] unusable = airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing, "2027-06-01", "2027-06-03", 0, "accept");
        long failed = postAndAwait(unusable, "failed");
        long processed = postAndAwait(airbnbReservation(null, "reservation_acceptance_confirmation", code(), listing,
                "2027-06-10", "2027-06-12", 2, "accept"), "processed");

        HttpResponse<String> replay = api.post("/api/v1/webhooks/replay", agency.apiKey(),
                "{\"platform\": \"airbnb\", \"listing_id\": \"" + listing + "\"}");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        List<Long> replayed = new ArrayList<>();
        json(replay).path("replayed").forEach(n -> replayed.add(n.asLong()));
        assertThat(replayed).as("status failed by default").containsExactly(failed).doesNotContain(processed);
        awaitStatus(failed, "failed", 2);
        JsonNode attempts = json(api.get("/api/v1/webhooks/" + failed, agency.apiKey())).path("attempts");
        assertThat(attempts).hasSize(2);
        attempts.forEach(a -> {
            assertThat(a.path("outcome").asText()).isEqualTo("failed");
            assertThat(a.path("error").asText()).contains("invalid reservation");
        });

        HttpResponse<String> wrong = api.post("/api/v1/webhooks/replay", agency.apiKey(), "{\"status\": \"rejected\"}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(json(wrong).path("field").asText()).isEqualTo("status");
        assertThat(api.post("/api/v1/webhooks/replay", agency.apiKey(), "{\"limitt\": 5}").statusCode()).isEqualTo(422);
        assertThat(api.post("/api/v1/webhooks/replay", agency.apiKey(), "{\"limit\": 0}").statusCode()).isEqualTo(422);
    }
}
