package io.channelsync.channel.bookingcom;

import io.channelsync.support.Cns;
import io.channelsync.support.IntegrationTest;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Booking.com's Connectivity Notification Service on POST /api/v1/webhooks/booking_com (scheme
 * cns-jwt): tokens fetched from our token endpoint, refusals logged as rejected rows, and what each
 * notification type leads to. Real HTTP, real PostgreSQL, real Camel routes.
 */
class CnsWebhookTest extends IntegrationTest {


    private long lastLogId;

    @BeforeEach
    void markLog() {
        lastLogId = jdbc.queryForObject("select coalesce(max(id), 0) from webhook_log", Long.class);
    }

    private List<Map<String, Object>> rowsSince() {
        return jdbc.queryForList("select id, status, error, event_id, event_type, signature_valid, headers::text as headers "
                + "from webhook_log where id > ? and platform = 'booking_com' order by id", lastLogId);
    }

    private String awaitProcessed(String uuid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "processed".equals(jdbc.queryForObject(
                "select status from webhook_log where platform = 'booking_com' and event_id = ? and status <> 'duplicate'", String.class, uuid)));
        return jdbc.queryForObject("select error from webhook_log where platform = 'booking_com' and event_id = ? and status = 'processed'",
                String.class, uuid);
    }

    @Test
    void validNotificationWithAFreshTokenIsAcceptedAndStoredByItsUuid() {
        String token = Cns.token(api);
        String uuid = Cns.uuid();
        HttpResponse<String> response = Cns.send(api, token, Cns.notification(uuid, "MESSAGING_API_NEW_MESSAGE", "{\"message_id\": \"m-1\"}"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"status\":\"queued\"");
        List<Map<String, Object>> rows = rowsSince();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("event_id", uuid).containsEntry("event_type", "MESSAGING_API_NEW_MESSAGE")
                .containsEntry("signature_valid", true);
        // the credential is never stored: neither the header nor the token
        assertThat((String) rows.get(0).get("headers")).doesNotContainIgnoringCase("authorization").doesNotContain(token);
    }

    @Test
    void repeatedNotificationIsAnsweredAsDuplicate() {
        String token = Cns.token(api);
        String uuid = Cns.uuid();
        byte[] body = Cns.notification(uuid, "MESSAGING_API_NEW_MESSAGE", "{}");
        assertThat(Cns.send(api, token, body).statusCode()).isEqualTo(202);
        HttpResponse<String> again = Cns.send(api, Cns.token(api), body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"duplicate\"}");
        List<Map<String, Object>> rows = rowsSince();
        assertThat(rows).extracting(r -> r.get("event_id")).containsExactly(uuid, uuid);
        assertThat(rows.get(1)).containsEntry("status", "duplicate");
        // the event itself is processed once: one alert, raised after its row was committed
        awaitProcessed(uuid);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from alerts where payload->>'uuid' = ?", Integer.class, uuid) == 1);
    }

    /** The delivery is answered 401 and logged as one rejected row with the reason, the token nowhere in it. */
    private void assertRejected(String token, String reason) {
        String uuid = Cns.uuid();
        HttpResponse<String> response = Cns.send(api, token, Cns.notification(uuid, "VIRTUAL_CREDIT_CARD_UPDATE", "{}"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"invalid_signature\"");
        List<Map<String, Object>> rows = rowsSince();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("status", "rejected").containsEntry("event_id", null).containsEntry("signature_valid", false);
        assertThat((String) rows.get(0).get("error")).contains(reason);
        if (token != null) {
            assertThat((String) rows.get(0).get("error")).doesNotContain(token);
            assertThat((String) rows.get(0).get("headers")).doesNotContain(token);
        }
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where event_id = ?", Integer.class, uuid)).isZero();
    }

    @Test
    void missingTokenIsRejectedAndLogged() {
        assertRejected(null, "missing Authorization");
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejectedAndLogged() {
        byte[] otherKey = "another-key-that-is-32-bytes-lon".getBytes(StandardCharsets.US_ASCII);
        Instant now = Instant.now();
        assertRejected(Cns.token(otherKey, "channel-sync", "channel-sync", now, now.plusSeconds(3600)), "Invalid signature");
    }

    @Test
    void expiredTokenIsRejectedAndLogged() {
        Instant now = Instant.now();
        assertRejected(Cns.token(Cns.JWT_KEY, "channel-sync", "channel-sync", now.minusSeconds(7200), now.minusSeconds(3600)), "Expired");
    }

    @Test
    void tokenForAnotherAudienceOrFromAnotherIssuerIsRejectedAndLogged() {
        Instant now = Instant.now();
        assertRejected(Cns.token(Cns.JWT_KEY, "channel-sync", "someone-else", now, now.plusSeconds(3600)), "audience");
        lastLogId = jdbc.queryForObject("select coalesce(max(id), 0) from webhook_log", Long.class);
        assertRejected(Cns.token(Cns.JWT_KEY, "someone-else", "channel-sync", now, now.plusSeconds(3600)), "iss");
    }

    @Test
    void unsignedTokenIsRejectedAndLogged() {
        // alg "none": the claims we would accept, without a signature
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"channel-sync\",\"aud\":\"channel-sync\",\"sub\":\"test-cns-client\",\"iat\":%d,"
                + "\"exp\":%d,\"jti\":\"x\"}").formatted(now, now + 600).getBytes(StandardCharsets.UTF_8)) + ".";
        assertRejected(unsigned, "invalid bearer token");
    }

    @Test
    void notATokenIsRejectedAndLogged() {
        assertRejected("not.a-jwt", "invalid bearer token");
    }

    @Test
    void notificationWithoutMetadataUuidIsRefusedWith400() {
        HttpResponse<String> response = Cns.send(api, Cns.token(api), "{\"type\": \"reservation\", \"hotel_id\": \"1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(rowsSince()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("status", "rejected").containsEntry("signature_valid", true);
            assertThat((String) row.get("error")).contains("event id is missing");
        });
    }

    @Test
    void reservationNotificationTriggersAnImmediatePoll() {
        String uuid = Cns.uuid();
        NotifyBuilder polled = new NotifyBuilder(camel).fromRoute("booking-com-poll-now")
                .filter(e -> uuid.equals(e.getIn().getHeader(CnsNotifications.UUID))
                        && "VIRTUAL_CREDIT_CARD_UPDATE".equals(e.getIn().getHeader(CnsNotifications.TYPE)))
                .whenDone(1).create();

        assertThat(Cns.send(api, Cns.token(api), Cns.notification(uuid, "VIRTUAL_CREDIT_CARD_UPDATE",
                "{\"hotel_id\": \"1234567\", \"reservation_id\": \"4000000001\"}")).statusCode()).isEqualTo(202);

        assertThat(polled.matches(10, TimeUnit.SECONDS)).as("direct:booking-com-poll-now received notification " + uuid).isTrue();
        assertThat(awaitProcessed(uuid)).contains("reservation poll requested");
        assertThat(jdbc.queryForObject("select count(*) from alerts where payload->>'uuid' = ?", Integer.class, uuid)).isZero();
    }

    @Test
    void anotherNotificationTypeIsStoredAndRaisedAsAnAlert() {
        CHANNELS.stubFor(post(urlPathEqualTo(ALERT_WEBHOOK)).willReturn(aResponse().withStatus(204)));
        String uuid = Cns.uuid();
        NotifyBuilder polled = new NotifyBuilder(camel).fromRoute("booking-com-poll-now")
                .filter(e -> uuid.equals(e.getIn().getHeader(CnsNotifications.UUID))).whenDone(1).create();

        assertThat(Cns.send(api, Cns.token(api), Cns.notification(uuid, "ACCSEC_PARTNER_PHISHING", "{\"note\": \"Zoë\"}")).statusCode())
                .isEqualTo(202);

        // the row is written, then delivered: wait for the delivery
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from alerts "
                + "where kind = 'booking_com_notification' and payload->>'uuid' = ? and delivered_at is not null", Integer.class, uuid) == 1);
        Map<String, Object> alert = jdbc.queryForMap("select severity, agency_id, payload->>'type' as type, payload->'payload'->>'note' as note, "
                + "delivered_at from alerts where payload->>'uuid' = ?", uuid);
        assertThat(alert).containsEntry("severity", "warning").containsEntry("type", "ACCSEC_PARTNER_PHISHING").containsEntry("note", "Zoë");
        CHANNELS.verify(postRequestedFor(urlPathEqualTo(ALERT_WEBHOOK)).withRequestBody(containing(uuid)));
        assertThat(awaitProcessed(uuid)).contains("raised as an alert");
        assertThat(polled.matches()).as("no poll for a type that is not about reservations").isFalse();
    }

    @Test
    void theSandboxCnsFetchesATokenFromOurEndpointAndNotifiesWithIt() {
        String uuid = Cns.uuid();
        HttpResponse<String> response = api.post("/sandbox/booking_com/notifications", null,
                "{\"uuid\": \"%s\", \"type\": \"MESSAGING_API_NEW_MESSAGE\", \"payload\": {\"message_id\": \"m-2\"}}".formatted(uuid));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":202");
        assertThat(jdbc.queryForMap("select event_type, signature_valid, payload->'metadata'->>'payloadVersion' as version "
                + "from webhook_log where platform = 'booking_com' and event_id = ?", uuid))
                .containsEntry("event_type", "MESSAGING_API_NEW_MESSAGE").containsEntry("signature_valid", true).containsEntry("version", "1.0");
    }
}
