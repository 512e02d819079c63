package io.channelsync.channel.vrbo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 §1's proof: {@link VrboConnector}, a channel that exists only in src/test, is mapped,
 * receives signed webhooks, gets sync jobs and is reconciled, with no edit in src/main and one
 * configuration block (channel-sync.webhooks.vrbo in application-test.yaml).
 */
class ThirdChannelTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key of the vrbo block's secret whsec_dGVzdC12cmJvLWtleQ== (base64 of "test-vrbo-key"). */
    private static final byte[] VRBO_KEY = "test-vrbo-key".getBytes(StandardCharsets.UTF_8);
    private static final String AIRBNB_SECRET = "test-airbnb-secret-new";
    private static final LocalDate ARRIVAL = LocalDate.now(ZoneOffset.UTC).plusDays(20);
    private static final LocalDate DEPARTURE = ARRIVAL.plusDays(3);

    @Autowired
    VrboConnector vrbo;

    private TestData.Agency agency;
    private UUID property;
    private String vrboListing;

    @BeforeEach
    void aPropertyMappedToVrboThroughTheApi() throws Exception {
        agency = data.agency();
        property = data.property(agency.id());
        vrboListing = "vrbo-" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        String owner = "owner-" + UUID.randomUUID();
        HttpResponse<String> connection = api.post("/api/v1/channel-connections", agency.apiKey(), """
                {"platform": "vrbo", "account_id": "%s"}""".formatted(owner));
        assertThat(connection.statusCode()).as(connection.body()).isEqualTo(201);
        String connectionId = JSON.readTree(connection.body()).path("id").asText();
        HttpResponse<String> notOwned = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connectionId, vrboListing));
        assertThat(notOwned.statusCode()).as("the third channel's own ownership check").isEqualTo(422);
        assertThat(JSON.readTree(notOwned.body()).path("rule").asText()).isEqualTo("listing_not_owned");
        vrbo.owns(owner, vrboListing);
        HttpResponse<String> created = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}""".formatted(property, connectionId, vrboListing));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("platform").asText()).isEqualTo("vrbo");
    }

    @Test
    void aMappingForTheThirdChannelIsCheckedByItsOwnListingRules() throws Exception {
        HttpResponse<String> refused = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "platform": "vrbo", "listing_id": "123"}""".formatted(data.property(agency.id())));
        // the listing rule is checked before the connection: a malformed id is refused as such
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.path("field").asText()).isEqualTo("listing_id");
        assertThat(error.path("rule").asText()).isEqualTo("vrbo_listing_id");
        assertThat(api.get("/api/v1/channel-mappings?platform=vrbo&property_id=" + property, agency.apiKey()).body())
                .contains(vrboListing);
    }

    @Test
    void aSignedVrboWebhookIsStoredAndClosesTheNightsOnTheOtherChannel() throws Exception {
        String airbnbListing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, airbnbListing);
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*")).willReturn(ok()));
        String code = "VR" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = """
                {"type": "booking.created", "booking": {"id": "%s", "listing": "%s", "arrival": "%s", "departure": "%s", "guests": 2}}"""
                .formatted(code, vrboListing, ARRIVAL, DEPARTURE).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> forged = api.postRaw("/api/v1/webhooks/vrbo", body, signed("evt-" + code, body, "not-the-key".getBytes()));
        assertThat(forged.statusCode()).as("signed with another key").isEqualTo(401);

        HttpResponse<String> accepted = api.postRaw("/api/v1/webhooks/vrbo", body, signed("evt-" + code, body, VRBO_KEY));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select status from bookings where platform = 'vrbo' and reservation_code = ? and property_id = ?",
                String.class, code, property)).containsExactly("confirmed"));
        assertThat(jdbc.queryForMap("select status, event_type, headers::text as headers from webhook_log where platform = 'vrbo' "
                + "and event_id = ? and status <> 'rejected'", "evt-" + code))
                .containsEntry("status", "processed").containsEntry("event_type", "booking.created")
                .hasEntrySatisfying("headers", h -> assertThat((String) h).contains("webhook-id").doesNotContain("\"platform\""));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList("""
                select s.status from sync_logs s join channel_mappings m on m.id = s.mapping_id
                where m.property_id = ? and m.platform = 'airbnb'""", String.class, property)).containsExactly("succeeded"));
        CHANNELS.verify(putRequestedFor(urlPathMatching("/airbnb/v2/calendars/" + airbnbListing + "/.*")));
        assertThat(jdbc.queryForObject("select count(*) from sync_logs s join channel_mappings m on m.id = s.mapping_id "
                + "where m.property_id = ? and m.platform = 'vrbo'", Integer.class, property))
                .as("no job back to the channel the booking came from").isZero();
        assertThat(api.get("/actuator/prometheus", OPERATOR_KEY).body())
                .as("metrics per registered platform").contains("platform=\"vrbo\"");
    }

    @Test
    void anotherChannelsBookingPushesTheClosedNightsToTheThirdChannel() throws Exception {
        String airbnbListing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, airbnbListing);
        String code = "HM" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        byte[] body = """
                {"action": "reservation_acceptance_confirmation",
                 "reservation": {"confirmation_code": "%s", "listing_id": "%s", "start_date": "%s", "end_date": "%s",
                   "number_of_guests": 2, "status_type": "accepted"}}""".formatted(code, airbnbListing, ARRIVAL, DEPARTURE)
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = api.postRaw("/api/v1/webhooks/airbnb", body, airbnbSigned(body));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vrbo.pushesTo(vrboListing)).hasSize(1));
        List<CalendarDay> pushed = vrbo.pushesTo(vrboListing).get(0).days();
        assertThat(pushed).extracting(CalendarDay::date).containsExactly(ARRIVAL, ARRIVAL.plusDays(1), ARRIVAL.plusDays(2));
        assertThat(pushed).noneMatch(CalendarDay::available);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList("""
                select s.status from sync_logs s join channel_mappings m on m.id = s.mapping_id
                where m.property_id = ? and m.platform = 'vrbo'""", String.class, property)).containsExactly("succeeded"));
    }

    @Test
    void reconciliationReadsTheThirdChannelAndFindsWhatThePmsLacks() throws Exception {
        String code = "VR" + UUID.randomUUID().toString().substring(0, 8);
        vrbo.holds(vrboListing, List.of(new ChannelReservation("vrbo", code, vrboListing, null, ARRIVAL, DEPARTURE,
                "confirmed", "Ana Silva", 2, null, null, null)));

        HttpResponse<String> started = api.post("/api/v1/reconciliation/runs", agency.apiKey(), "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        long runId = JSON.readTree(started.body()).path("runs").get(0).path("id").asLong();
        JsonNode run = JSON.readTree(api.get("/api/v1/reconciliation/runs/" + runId, agency.apiKey()).body());

        assertThat(run.path("counts").path("channel_bookings").asInt()).isEqualTo(1);
        JsonNode missing = run.path("discrepancies").get(0);
        assertThat(run.path("discrepancies")).hasSize(1);
        assertThat(missing.path("kind").asText()).isEqualTo("missing_in_pms");
        assertThat(missing.path("reservation_code").asText()).isEqualTo(code);
    }

    /** standard-webhooks signing, written here independently of the service's verifier. */
    private static Map<String, String> signed(String id, byte[] body, byte[] key) {
        long t = Instant.now().getEpochSecond();
        String signature = Base64.getEncoder().encodeToString(hmac(key, (id + "." + t + ".").getBytes(StandardCharsets.UTF_8), body));
        return Map.of("Content-Type", "application/json", "webhook-id", id, "webhook-timestamp", Long.toString(t),
                "webhook-signature", "v1," + signature);
    }

    private static Map<String, String> airbnbSigned(byte[] body) {
        long t = Instant.now().getEpochSecond();
        byte[] mac = hmac(AIRBNB_SECRET.getBytes(StandardCharsets.UTF_8), (t + ".").getBytes(StandardCharsets.UTF_8), body);
        return Map.of("Content-Type", "application/json", "X-Airbnb-Signature", "t=" + t + ",v1=" + java.util.HexFormat.of().formatHex(mac));
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
