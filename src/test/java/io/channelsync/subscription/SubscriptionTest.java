package io.channelsync.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.channelsync.alert.Alerts;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData.Agency;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed events out to the PMS: WireMock plays the PMS endpoint; events come from a real source
 * (Alerts.raise, as the channel-health and overbooking helpers call it), go through the outbox, the
 * dispatch and delivery routes, and are checked as a receiver would check them.
 */
class SubscriptionTest extends IntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Alerts alerts;

    record Subscription(String id, String secret, String path) {
    }

    Subscription subscribe(Agency agency, String... types) throws Exception {
        String path = "/pms/" + UUID.randomUUID();
        HttpResponse<String> created = api.post("/api/v1/subscriptions", agency.apiKey(), JSON.writeValueAsString(Map.of(
                "url", CHANNELS.baseUrl() + path, "event_types", List.of(types), "description", "the PMS")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        return new Subscription(body.path("id").asText(), body.path("secret").asText(), path);
    }

    void raiseDoubleBooking(UUID agency, String marker) {
        alerts.raise(agency, null, Alerts.Severity.critical, "double_booking", "overlap " + marker, Map.of("marker", marker));
    }

    List<LoggedRequest> received(Subscription s) {
        return CHANNELS.findAll(postRequestedFor(urlPathEqualTo(s.path())));
    }

    JsonNode deliveries(Subscription s, String key) throws Exception {
        HttpResponse<String> list = api.get("/api/v1/subscriptions/" + s.id() + "/deliveries", key);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return JSON.readTree(list.body()).path("items");
    }

    JsonNode delivery(long id, String key) throws Exception {
        HttpResponse<String> got = api.get("/api/v1/deliveries/" + id, key);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return JSON.readTree(got.body());
    }

    /** The receiver's check, written from the Standard Webhooks spec apart from the service's code. */
    static boolean signedWith(String secret, LoggedRequest request) throws Exception {
        return signature(secret, request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"), request.getBody(),
                request.getHeader("webhook-signature"));
    }

    static boolean signature(String secret, String id, String timestamp, byte[] body, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        return header.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(header.substring(3)));
    }

    @Test
    void eventsArriveSignedWithTheSecretShownOnceAtCreation() throws Exception {
        Agency agency = data.agency();
        Subscription s = subscribe(agency, "double_booking", "channel.down");
        assertThat(s.secret()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(s.secret().substring(6))).hasSizeGreaterThanOrEqualTo(24);
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).willReturn(aResponse().withStatus(204)));

        raiseDoubleBooking(agency.id(), "signed");

        await().atMost(Duration.ofSeconds(30)).until(() -> received(s).size() == 1);
        LoggedRequest request = received(s).get(0);
        assertThat(signedWith(s.secret(), request)).as("signature %s", request.getHeader("webhook-signature")).isTrue();
        assertThat(Math.abs(Long.parseLong(request.getHeader("webhook-timestamp")) - Instant.now().getEpochSecond())).isLessThan(60);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(request.getBody());
        assertThat(body.path("type").asText()).isEqualTo("double_booking");
        assertThat(body.path("data").path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(body.path("data").path("details").path("marker").asText()).isEqualTo("signed");
        assertThat(OffsetDateTime.parse(body.path("timestamp").asText())).isNotNull();
        // the signature covers the id and the timestamp: the captured request under a fresh timestamp or another id fails
        String later = Long.toString(Long.parseLong(request.getHeader("webhook-timestamp")) + 600);
        assertThat(signature(s.secret(), request.getHeader("webhook-id"), later, request.getBody(), request.getHeader("webhook-signature"))).isFalse();
        assertThat(signature(s.secret(), "another", request.getHeader("webhook-timestamp"), request.getBody(),
                request.getHeader("webhook-signature"))).isFalse();

        // the secret is never shown again
        for (String path : List.of("/api/v1/subscriptions/" + s.id(), "/api/v1/subscriptions")) {
            HttpResponse<String> read = api.get(path, agency.apiKey());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains(s.id()).doesNotContain("secret").doesNotContain(s.secret().substring(6));
        }
        JsonNode subscription = JSON.readTree(api.get("/api/v1/subscriptions/" + s.id(), agency.apiKey()).body());
        assertThat(subscription.path("status").asText()).isEqualTo("active");
        assertThat(subscription.path("event_types")).extracting(JsonNode::asText).containsExactly("double_booking", "channel.down");

        // the delivery log: one delivery, succeeded at the first attempt, its webhook-id the event id
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(s, agency.apiKey()).path(0).path("status").asText().equals("succeeded"));
        JsonNode item = deliveries(s, agency.apiKey()).get(0);
        assertThat(item.path("event_id").asText()).isEqualTo(request.getHeader("webhook-id"));
        assertThat(item.path("event_type").asText()).isEqualTo("double_booking");
        JsonNode one = delivery(item.path("id").asLong(), agency.apiKey());
        assertThat(one.path("attempts")).hasSize(1);
        assertThat(one.path("attempts").get(0).path("status_code").asInt()).isEqualTo(204);
        assertThat(one.path("data").path("details").path("marker").asText()).isEqualTo("signed");
    }

    @Test
    void aFailingEndpointIsRetriedWithGrowingWaitsUntilItAnswers() throws Exception {
        Agency agency = data.agency();
        Subscription s = subscribe(agency, "double_booking");
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500).withBody("still down")).willSetStateTo("up"));
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));

        raiseDoubleBooking(agency.id(), "flaky");

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(s, agency.apiKey()).path(0).path("status").asText().equals("succeeded"));
        List<LoggedRequest> requests = received(s);
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.getHeader("webhook-id")).as("one id on every attempt").containsOnly(requests.get(0).getHeader("webhook-id"));
        for (LoggedRequest r : requests) {
            assertThat(signedWith(s.secret(), r)).isTrue();
        }
        JsonNode attempts = delivery(deliveries(s, agency.apiKey()).get(0).path("id").asLong(), agency.apiKey()).path("attempts");
        assertThat(attempts).extracting(a -> a.path("status_code").asInt()).containsExactly(503, 500, 200);
        assertThat(attempts.get(1).path("response_body").asText()).isEqualTo("still down");
        // backoff (test settings): at least 100 ms before the second attempt, at least 200 ms before the third
        Instant first = OffsetDateTime.parse(attempts.get(0).path("attempted_at").asText()).toInstant();
        Instant second = OffsetDateTime.parse(attempts.get(1).path("attempted_at").asText()).toInstant();
        Instant third = OffsetDateTime.parse(attempts.get(2).path("attempted_at").asText()).toInstant();
        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(JSON.readTree(api.get("/api/v1/subscriptions/" + s.id(), agency.apiKey()).body()).path("status").asText())
                .as("retried, never exhausted: still active").isEqualTo("active");
    }

    @Test
    void anEndpointFailingPersistentlyIsMarkedAlertedAndKeptThenRedeliveredByHand() throws Exception {
        Agency agency = data.agency();
        Subscription s = subscribe(agency, "double_booking");
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).willReturn(aResponse().withStatus(500)));

        raiseDoubleBooking(agency.id(), "first");

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(s, agency.apiKey()).path(0).path("status").asText().equals("failed"));
        JsonNode failed = deliveries(s, agency.apiKey()).get(0);
        assertThat(failed.path("attempt_count").asInt()).isEqualTo(3);
        assertThat(failed.path("last_status").asInt()).isEqualTo(500);
        JsonNode subscription = JSON.readTree(api.get("/api/v1/subscriptions/" + s.id(), agency.apiKey()).body());
        assertThat(subscription.path("status").asText()).isEqualTo("failing");
        assertThat(subscription.path("failing_since").isNull()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from alerts where agency_id = ? and kind = 'subscription_failing' "
                + "and payload->>'subscription_id' = ?", Integer.class, agency.id(), s.id())).isEqualTo(1);

        // kept: the next event is still attempted (and, failing again, raises no second alert)
        raiseDoubleBooking(agency.id(), "second");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(s, agency.apiKey()).size() == 2
                && deliveries(s, agency.apiKey()).path(0).path("status").asText().equals("failed"));
        assertThat(received(s)).hasSize(6);
        assertThat(jdbc.queryForObject("select count(*) from alerts where agency_id = ? and kind = 'subscription_failing'",
                Integer.class, agency.id())).isEqualTo(1);

        // the endpoint is back: redeliver the first event by hand (a new delivery, same webhook-id); the subscription recovers
        CHANNELS.stubFor(post(urlPathEqualTo(s.path())).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> redelivered = api.post("/api/v1/deliveries/" + failed.path("id").asLong() + "/redeliver", agency.apiKey(), "");
        assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(202);
        JsonNode copy = JSON.readTree(redelivered.body());
        assertThat(copy.path("redelivery_of").asLong()).isEqualTo(failed.path("id").asLong());
        assertThat(copy.path("event_id").asText()).isEqualTo(failed.path("event_id").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> delivery(copy.path("id").asLong(), agency.apiKey()).path("status").asText().equals("succeeded"));
        LoggedRequest last = received(s).get(received(s).size() - 1);
        assertThat(received(s)).filteredOn(r -> r.getHeader("webhook-id").equals(last.getHeader("webhook-id"))).hasSize(4);
        assertThat(signedWith(s.secret(), last)).isTrue();
        assertThat(delivery(failed.path("id").asLong(), agency.apiKey()).path("status").asText()).as("the original stays in the log").isEqualTo("failed");
        assertThat(JSON.readTree(api.get("/api/v1/subscriptions/" + s.id(), agency.apiKey()).body()).path("status").asText()).isEqualTo("active");
        assertThat(jdbc.queryForObject("select count(*) from alerts where agency_id = ? and kind = 'subscription_recovered'",
                Integer.class, agency.id())).isEqualTo(1);
    }

    @Test
    void aDeliveryStillUnderWayIsNotRedelivered() throws Exception {
        Agency agency = data.agency();
        Subscription s = subscribe(agency, "double_booking");
        UUID event = jdbc.queryForObject("insert into events (type, agency_id, data, fanned_out_at) values ('double_booking', ?, '{}', now()) "
                + "returning id", UUID.class, agency.id());
        long waiting = jdbc.queryForObject("insert into deliveries (subscription_id, event_id, status, attempt_count, next_attempt_at) "
                + "values (cast(? as uuid), ?, 'retrying', 1, now() + interval '1 hour') returning id", Long.class, s.id(), event);
        HttpResponse<String> refused = api.post("/api/v1/deliveries/" + waiting + "/redeliver", agency.apiKey(), "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("conflict").asText()).isEqualTo("delivery_in_progress");
        assertThat(api.post("/api/v1/deliveries/99999999999/redeliver", agency.apiKey(), "").statusCode()).isEqualTo(404);
    }

    @Test
    void agenciesSeeAndReceiveOnlyTheirOwnAndChannelWideEventsReachEveryone() throws Exception {
        Agency a = data.agency();
        Agency b = data.agency();
        Subscription ofA = subscribe(a, "double_booking", "channel.down");
        Subscription ofB = subscribe(b, "double_booking", "channel.down");
        CHANNELS.stubFor(post(urlPathEqualTo(ofA.path())).willReturn(aResponse().withStatus(200)));
        CHANNELS.stubFor(post(urlPathEqualTo(ofB.path())).willReturn(aResponse().withStatus(200)));

        raiseDoubleBooking(a.id(), "only-a");
        alerts.raise(null, null, Alerts.Severity.critical, "channel_down", "airbnb is down", Map.of("platform", "airbnb"));

        await().atMost(Duration.ofSeconds(30)).until(() -> received(ofA).size() == 2 && received(ofB).size() == 1);
        assertThat(received(ofA)).extracting(r -> JSON.readTree(r.getBody()).path("type").asText())
                .containsExactlyInAnyOrder("double_booking", "channel.down");
        assertThat(JSON.readTree(received(ofB).get(0).getBody()).path("type").asText()).isEqualTo("channel.down");
        assertThat(signedWith(ofB.secret(), received(ofB).get(0))).isTrue();
        assertThat(signedWith(ofA.secret(), received(ofB).get(0))).as("secrets are per subscription").isFalse();

        // another agency's subscription and deliveries do not exist for b
        String deliveryOfA = deliveries(ofA, a.apiKey()).get(0).path("id").asText();
        assertThat(api.get("/api/v1/subscriptions/" + ofA.id(), b.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/subscriptions/" + ofA.id() + "/deliveries", b.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/deliveries/" + deliveryOfA, b.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/deliveries/" + deliveryOfA + "/redeliver", b.apiKey(), "").statusCode()).isEqualTo(404);
        assertThat(api.patch("/api/v1/subscriptions/" + ofA.id(), b.apiKey(), "{\"description\": \"mine\"}").statusCode()).isEqualTo(404);
        assertThat(api.delete("/api/v1/subscriptions/" + ofA.id(), b.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/subscriptions", b.apiKey()).body()).contains(ofB.id()).doesNotContain(ofA.id());
        assertThat(api.get("/api/v1/deliveries", b.apiKey()).body()).doesNotContain("\"subscription_id\":\"" + ofA.id());
        HttpResponse<String> foreign = api.post("/api/v1/subscriptions", b.apiKey(), JSON.writeValueAsString(Map.of(
                "url", CHANNELS.baseUrl() + "/pms/x", "event_types", List.of("double_booking"), "agency_id", a.id().toString())));
        assertThat(foreign.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(foreign.body()).path("field").asText()).isEqualTo("agency_id");

        // operators see both, filter by agency, and may not edit the alert webhook (configuration)
        assertThat(api.get("/api/v1/subscriptions?agency_id=" + a.id(), OPERATOR_KEY).body()).contains(ofA.id()).doesNotContain(ofB.id());
        assertThat(api.get("/api/v1/subscriptions/" + ofB.id(), OPERATOR_KEY).statusCode()).isEqualTo(200);
        String alertsId = jdbc.queryForObject("select id::text from subscriptions where kind = 'alerts'", String.class);
        assertThat(api.get("/api/v1/subscriptions/" + alertsId, a.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.delete("/api/v1/subscriptions/" + alertsId, OPERATOR_KEY).statusCode()).isEqualTo(409);

        // a owns its subscription: update, then delete
        HttpResponse<String> updated = api.patch("/api/v1/subscriptions/" + ofA.id(), a.apiKey(), "{\"event_types\": [\"booking.created\"]}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).path("event_types")).extracting(JsonNode::asText).containsExactly("booking.created");
        assertThat(api.delete("/api/v1/subscriptions/" + ofA.id(), a.apiKey()).statusCode()).isEqualTo(204);
        assertThat(api.get("/api/v1/subscriptions/" + ofA.id(), a.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void requestsBreakingARuleAre422WithTheFieldAndRule() throws Exception {
        Agency agency = data.agency();
        Map<String, Map<String, Object>> cases = Map.of(
                "url", Map.of("url", "ftp://example.com/hooks", "event_types", List.of("booking.created")),
                "event_types", Map.of("url", "https://example.com/hooks", "event_types", List.of("booking.created", "alert")),
                "unknown", Map.of("url", "https://example.com/hooks", "event_types", List.of("booking.created"), "secret", "whsec_mine"));
        Map<String, String> expected = Map.of("url", "url/url", "event_types", "event_types/one_of", "unknown", "secret/unknown_field");
        for (var c : cases.entrySet()) {
            HttpResponse<String> refused = api.post("/api/v1/subscriptions", agency.apiKey(), JSON.writeValueAsString(c.getValue()));
            assertThat(refused.statusCode()).as(c.getKey()).isEqualTo(422);
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.path("field").asText() + "/" + body.path("rule").asText()).as(c.getKey()).isEqualTo(expected.get(c.getKey()));
        }
    }
}
