package io.channelsync.webhook;

import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The webhook endpoints' contract: signatures, refusals, rotation, duplicates, 503. Real HTTP, real PostgreSQL.
 * Booking.com's CNS tokens: channel/bookingcom/CnsWebhookTest. */
class WebhookIntakeTest extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    private String listing;
    private long lastLogId;

    @BeforeEach
    void mappedListing() {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        lastLogId = jdbc.queryForObject("select coalesce(max(id), 0) from webhook_log", Long.class);
    }

    private byte[] reservation(String code) {
        return airbnbReservation(null, "reservation_acceptance_confirmation", code, listing, "2026-12-01", "2026-12-05", 2, "accept");
    }

    private HttpResponse<String> postAirbnb(byte[] body, Map<String, String> headers) {
        return api.postRaw(AIRBNB_PATH, body, headers);
    }

    /** The refused delivery is logged as rejected with its reason, and nothing is processed. */
    private void assertRejected(HttpResponse<String> response, int status, String reason, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select status, error, event_id, payload::text as payload from webhook_log where id > ?", lastLogId);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("status", "rejected").containsEntry("event_id", null).containsEntry("payload", null);
        assertThat((String) rows.get(0).get("error")).contains(reason);
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = ?", Integer.class, code)).isZero();
    }

    @Test
    void aWebhookForAPlatformNoConnectorTakesIsAnsweredNotFoundAndNotStored() throws Exception {
        HttpResponse<String> response = api.postRaw("/api/v1/webhooks/expedia", reservation("HMUNKNOWN1"),
                Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(404);
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(error.path("error").asText()).isEqualTo("not_found");
        assertThat(error.path("message").asText()).contains("expedia");
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where id > ?", Integer.class, lastLogId))
                .as("a stranger's path is not a channel's delivery").isZero();
    }

    @Test
    void theGenericRouteTakesOneSegmentSoASubPathStaysFreeForARouteOfItsOwn() {
        // POST /api/v1/webhooks/booking_com/token (CNS token endpoint) is not a delivery for platform "booking_com/token"
        byte[] body = "{\"type\": \"reservation\", \"hotel_id\": \"123\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = api.postRaw("/api/v1/webhooks/booking_com/token", body, Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).as("answered by the token endpoint, an OAuth error").isEqualTo(400);
        assertThat(response.body()).contains("invalid_request").doesNotContain("webhook platform");
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where id > ?", Integer.class, lastLogId)).isZero();
    }

    @Test
    void missingSignatureHeaderIsRejectedAndLogged() {
        byte[] body = reservation("HMMISSING1");
        assertRejected(postAirbnb(body, Map.of("Content-Type", "application/json")), 401, "missing X-Airbnb-Signature", "HMMISSING1");
    }

    @Test
    void wrongSecretIsRejectedAndLogged() {
        byte[] body = reservation("HMWRONG001");
        assertRejected(postAirbnb(body, airbnbHeaders("not-our-secret", now(), body)), 401, "does not match", "HMWRONG001");
    }

    @Test
    void tamperedBodyIsRejectedAndLogged() {
        byte[] body = reservation("HMTAMPER01");
        Map<String, String> headers = airbnbHeaders(AIRBNB_NEW, now(), body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"number_of_guests\": 2", "\"number_of_guests\": 9")
                .getBytes(StandardCharsets.UTF_8);
        assertRejected(postAirbnb(tampered, headers), 401, "does not match", "HMTAMPER01");
    }

    @Test
    void staleTimestampIsRejectedAndLogged() {
        byte[] body = reservation("HMSTALE001");
        assertRejected(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now() - 301, body)), 401, "outside the tolerance", "HMSTALE001");
    }

    @Test
    void futureTimestampIsRejectedAndLogged() {
        byte[] body = reservation("HMFUTURE01");
        // a minute past the 300 s tolerance: a slow machine cannot close the gap before the check (the boundary itself is SignatureKnownAnswerTest's)
        assertRejected(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now() + 360, body)), 401, "outside the tolerance", "HMFUTURE01");
    }

    @Test
    void malformedSignatureHeaderIsRejectedAndLogged() {
        byte[] body = reservation("HMMALFORM1");
        assertRejected(postAirbnb(body, Map.of("X-Airbnb-Signature", "v1=abc,t=yesterday")), 401, "malformed", "HMMALFORM1");
    }

    @Test
    void oversizedBodyIsRefusedWith413AndLogged() {
        byte[] body = ("{\"action\":\"test_notification\",\"pad\":\"" + "x".repeat(256 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertRejected(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body)), 413, "exceeds the limit", "none");
    }

    @Test
    void invalidJsonIsRefusedWith400AndLogged() {
        byte[] body = "{\"action\": \"reservation_acceptance_confirmation\", ".getBytes(StandardCharsets.UTF_8);
        assertRejected(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body)), 400, "not valid JSON", "none");
    }

    @Test
    void oldAndNewSecretsAreBothAcceptedDuringRotation() {
        for (String secret : List.of(AIRBNB_OLD, AIRBNB_NEW)) {
            byte[] body = reservation("HMROT" + secret.length() + secret.charAt(secret.length() - 1) + UUID.randomUUID().toString().substring(0, 4));
            assertThat(postAirbnb(body, airbnbHeaders(secret, now(), body)).statusCode()).isEqualTo(202);
        }
        // Booking.com (scheme cns-jwt) presents tokens instead: channel/bookingcom/CnsWebhookTest; the
        // standard-webhooks relay scheme's rotation is a known-answer test (SignatureKnownAnswerTest)
    }

    @Test
    void aSignedBodyWithANulEscapeIsStoredAsReceivedAndAppliedNeverAnswered503() {
        // JSON allows the escape \u0000; PostgreSQL's jsonb and text refuse the NUL code point. The body is
        // the channel's (signed), so every redelivery would meet the same refusal: it must never be a 503.
        String code = "HMNUL" + UUID.randomUUID().toString().substring(0, 5).toUpperCase();
        byte[] body = new String(airbnbReservation("evt-\\u0000-" + code, "reservation_acceptance_confirmation", code, listing,
                "2026-12-01", "2026-12-05", 2, "accept"), StandardCharsets.UTF_8)
                .replace("\"guest_first_name\": \"Zoë\"", "\"guest_first_name\": \"Zo\\u0000ë\"").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\\u0000");

        HttpResponse<String> response = postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body));

        assertThat(response.statusCode()).isEqualTo(202);
        Map<String, Object> row = jdbc.queryForMap("select id, raw_body, event_id, payload->'reservation'->>'guest_first_name' as first "
                + "from webhook_log where id > ? and platform = 'airbnb'", lastLogId);
        assertThat((byte[]) row.get("raw_body")).as("the exact bytes, escape and all").isEqualTo(body);
        assertThat((String) row.get("event_id")).isEqualTo("evt-\uFFFD-" + code);
        assertThat(row.get("first")).as("the parsed form without the NUL").isEqualTo("Zo\uFFFDë");
        await().atMost(Duration.ofSeconds(10)).until(() -> "processed".equals(
                jdbc.queryForObject("select status from webhook_log where id = ?", String.class, row.get("id"))));
        assertThat(jdbc.queryForObject("select guest_name from bookings where platform = 'airbnb' and reservation_code = ?",
                String.class, code)).startsWith("Zo\uFFFDë");
        // the channel's redelivery is a duplicate, not another 503
        assertThat(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body)).statusCode()).isEqualTo(200);
    }

    @Test
    void aRejectionWhoseQueryStringCarriesAnEncodedNulIsStillLogged() {
        byte[] body = reservation("HMNULQS001");
        HttpResponse<String> response = api.postRaw(AIRBNB_PATH + "?probe=a%00b", body, airbnbHeaders("not-our-secret", now(), body));
        assertRejected(response, 401, "does not match", "HMNULQS001");
        assertThat(jdbc.queryForObject("select headers->>'probe' from webhook_log where id > ?", String.class, lastLogId))
                .as("the query parameter is kept, without the NUL").isEqualTo("a\uFFFDb");
    }

    @Test
    void aSignedDeliveryWhoseQueryStringCarriesAnEncodedNulIsAcceptedNot503() {
        byte[] body = reservation("HMNULQS002");
        HttpResponse<String> response = api.postRaw(AIRBNB_PATH + "?probe=%00", body, airbnbHeaders(AIRBNB_NEW, now(), body));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aPathWithAnEncodedNulIsRefusedBeforeAnyPlatformAndNothingIsStored() {
        // the servlet container refuses a path that decodes to a NUL (400) before Spring or Camel sees it: there is
        // no platform to log it under ("air\0bnb" is none, and the platform column could not hold it), and an unknown
        // platform is not a channel's delivery (404, not stored) in any case. What matters: once, never 503.
        HttpResponse<String> response = api.postRaw("/api/v1/webhooks/air%00bnb", reservation("HMNULPATH1"),
                Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where id > ?", Integer.class, lastLogId)).isZero();
    }

    @Test
    void acceptedWebhookIsCommittedBeforeTheAnswerWithItsExactBytes() {
        byte[] body = reservation("HMBYTES001");
        HttpResponse<String> response = postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"status\":\"queued\"");
        Map<String, Object> row = jdbc.queryForMap("select raw_body, signature_valid, event_type, headers::text as headers "
                + "from webhook_log where id > ? and platform = 'airbnb'", lastLogId);
        assertThat((byte[]) row.get("raw_body")).isEqualTo(body);
        assertThat(row).containsEntry("signature_valid", true).containsEntry("event_type", "reservation_acceptance_confirmation");
        assertThat((String) row.get("headers")).containsIgnoringCase("x-airbnb-signature");
    }

    @Test
    void duplicateDeliveryIsRecordedAndProcessedOnce() {
        byte[] body = airbnbReservation("evt-" + UUID.randomUUID(), "reservation_acceptance_confirmation", "HMDUP00001", listing,
                "2026-12-01", "2026-12-05", 2, "accept");
        assertThat(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body)).statusCode()).isEqualTo(202);
        HttpResponse<String> again = postAirbnb(body, airbnbHeaders(AIRBNB_OLD, now(), body));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"duplicate\"}");
        awaitStatuses("processed", "duplicate");
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = 'HMDUP00001'", Integer.class)).isEqualTo(1);
    }

    @Test
    void identicalRedeliveryWithoutEventIdIsADuplicate() {
        byte[] body = "{\"action\":\"test_notification\",\"nonce\":\"%s\"}".formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        long t = now();
        assertThat(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, t, body)).statusCode()).isEqualTo(202);
        assertThat(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, t, body)).statusCode()).isEqualTo(200);
        awaitStatuses("processed", "duplicate");
    }

    @Test
    void concurrentDuplicateDeliveriesAreProcessedExactlyOnce() throws Exception {
        byte[] body = airbnbReservation("evt-" + UUID.randomUUID(), "reservation_acceptance_confirmation", "HMCONC0001", listing,
                "2026-12-10", "2026-12-12", 2, "accept");
        Map<String, String> headers = airbnbHeaders(AIRBNB_NEW, now(), body);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = java.util.Collections.nCopies(8, () -> postAirbnb(body, headers).statusCode());
            List<Integer> statuses = pool.invokeAll(calls).stream().map(WebhookIntakeTest::get).toList();
            assertThat(statuses).containsOnly(202, 200).filteredOn(s -> s == 202).hasSize(1);
        } finally {
            pool.shutdown();
        }
        awaitStatuses("processed", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate");
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = 'HMCONC0001'", Integer.class)).isEqualTo(1);
    }

    /**
     * A real outage: the database refuses every new connection (ALLOW_CONNECTIONS false) and the
     * intake pool's sessions are cut, as when the server restarts. Not a locked table.
     */
    @Test
    void databaseThatRefusesConnectionsAnswers503WithinTheTimeoutAndIntakeRecoversWithoutRestart() throws Exception {
        byte[] body = reservation("HMDBDOWN01");
        String database = jdbc.queryForObject("select current_database()", String.class);
        var main = (com.zaxxer.hikari.HikariDataSource) dataSource;
        // a database cannot close itself to new connections from its own session: the switch is thrown from the cluster's "postgres" database
        String adminUrl = main.getJdbcUrl().replaceFirst("/" + database + "(\\?|$)", "/postgres$1");
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(adminUrl, main.getUsername(), main.getPassword());
             java.sql.Statement sql = admin.createStatement()) {
            sql.execute("alter database \"" + database + "\" allow_connections false");
            try {
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '"
                        + WebhookIntakePool.APPLICATION_NAME + "'");
                assertThatThrownBy(() -> java.sql.DriverManager.getConnection(main.getJdbcUrl(), main.getUsername(), main.getPassword()).close())
                        .as("the database really refuses connections").hasMessageContaining("not currently accepting connections");

                long started = System.nanoTime();
                HttpResponse<String> response = postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(took).as("answered within the configured db-timeout, not the pool's 30 s").isLessThan(Duration.ofSeconds(6));
            } finally {
                sql.execute("alter database \"" + database + "\" allow_connections true");
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where id > ?", Integer.class, lastLogId)).isZero();
        // the database is back: the channel delivers again and it is stored, with no restart
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(postAirbnb(body, airbnbHeaders(AIRBNB_NEW, now(), body)).statusCode()).isEqualTo(202));
    }

    private void awaitStatuses(String... statuses) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.queryForList("select status from webhook_log where id > ?", String.class, lastLogId))
                .containsExactlyInAnyOrder(statuses));
    }

    private static Integer get(Future<Integer> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
