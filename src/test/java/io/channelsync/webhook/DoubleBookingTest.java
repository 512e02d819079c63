package io.channelsync.webhook;

import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.channelsync.webhook.Webhooks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Overbooking caught on arrival (issue 14.3): a booking for nights already taken on its property raises one
 * critical double_booking alert within 5 s of its commit, naming both bookings and their channels, once per
 * pair however often the event is replayed. The Booking.com poll path: BookingComPollTest.
 */
class DoubleBookingTest extends IntegrationTest {

    private TestData.Agency agency;
    private UUID property;
    private String listing;

    @BeforeEach
    void propertyOnAirbnb() {
        agency = data.agency();
        property = data.property(agency.id());
        listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
    }

    private static String code() {
        return "HM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private long book(String code, String start, String end, String status, String updatedAt) {
        byte[] body = withUpdatedAt(airbnbReservation("evt-" + UUID.randomUUID(), "reservation_acceptance_confirmation", code, listing,
                start, end, 2, status), updatedAt);
        HttpResponse<String> response = api.postRaw(AIRBNB_PATH, body, airbnbHeaders(AIRBNB_NEW, now(), body));
        assertThat(response.statusCode()).isEqualTo(202);
        long id = Long.parseLong(response.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select status = 'processed' from webhook_log where id = ?", Boolean.class, id));
        return id;
    }

    /** The double_booking alerts that name this reservation, as the booking that arrived or one it overlaps. */
    private List<Map<String, Object>> alertsNaming(String code) {
        return jdbc.queryForList("""
                select id, agency_id, severity, message, payload::text as payload, payload->'booking'->>'reservation_code' as arrived,
                       created_at from alerts
                 where kind = 'double_booking' and payload::text like ?""", "%\"reservation_code\": \"" + code + "\"%");
    }

    @Test
    void aBookingOnNightsAlreadyTakenRaisesOneCriticalAlertWithinFiveSecondsNamingBoth() {
        String first = code();
        String second = code();
        book(first, "2027-07-01", "2027-07-05", "accept", "2026-11-01T10:00:00Z");
        assertThat(alertsNaming(first)).isEmpty();

        long arrived = book(second, "2027-07-03", "2027-07-06", "accept", "2026-11-01T11:00:00Z");

        // within 5 s of the commit (processed_at is written in the committing transaction)
        await().atMost(Duration.ofSeconds(5)).until(() -> alertsNaming(second).size() == 1);
        Map<String, Object> alert = alertsNaming(second).get(0);
        assertThat(jdbc.queryForObject("select a.created_at - w.processed_at < interval '5 seconds' from alerts a, webhook_log w "
                + "where a.id = ? and w.id = ?", Boolean.class, alert.get("id"), arrived)).isTrue();
        assertThat(alert).containsEntry("severity", "critical").containsEntry("agency_id", agency.id()).containsEntry("arrived", second);
        assertThat((String) alert.get("message")).contains("airbnb " + second + " (2027-07-03 to 2027-07-06)")
                .contains("already held by airbnb " + first + " (2027-07-01 to 2027-07-05)");
        assertThat((String) alert.get("payload")).contains("\"property_id\": \"" + property + "\"")
                .contains("\"platform\": \"airbnb\"").contains("\"webhook_log_id\": " + arrived)
                .contains("\"overlap\": {\"to\": \"2027-07-05\", \"from\": \"2027-07-03\"}");

        // replayed, or changed again while still overlapping: the same pair, no second alert
        assertThat(api.post("/api/v1/webhooks/" + arrived + "/replay", agency.apiKey(), "").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) = 2 from webhook_attempts where webhook_log_id = ?", Boolean.class, arrived));
        book(second, "2027-07-04", "2027-07-07", "accept", "2026-11-01T12:00:00Z");
        // a third booking overlapping the first is alerted: everything before it has been alerted by then
        String third = code();
        book(third, "2027-06-28", "2027-07-02", "accept", "2026-11-01T13:00:00Z");
        await().atMost(Duration.ofSeconds(5)).until(() -> alertsNaming(third).size() == 1);
        assertThat(alertsNaming(second)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from double_bookings where property_id = ?", Integer.class, property))
                .isEqualTo(2);
    }

    @Test
    void backToBackStaysAndCancelledBookingsAreNoDoubleBooking() {
        String first = code();
        book(first, "2027-08-01", "2027-08-05", "accept", "2026-11-01T10:00:00Z");
        String adjacent = code();
        book(adjacent, "2027-08-05", "2027-08-08", "accept", "2026-11-01T10:00:00Z");
        String cancelled = code();
        book(cancelled, "2027-08-02", "2027-08-04", "cancelled_by_guest", "2026-11-01T10:00:00Z");
        // a genuine overlap afterwards: its alert comes after any the ones above could have raised
        String overlapping = code();
        book(overlapping, "2027-08-07", "2027-08-09", "accept", "2026-11-01T10:00:00Z");
        await().atMost(Duration.ofSeconds(5)).until(() -> alertsNaming(overlapping).size() == 1);

        assertThat(alertsNaming(adjacent)).as("only with the booking that overlaps it").hasSize(1)
                .first().satisfies(alert -> assertThat(alert).containsEntry("arrived", overlapping));
        assertThat(alertsNaming(first)).isEmpty();
        assertThat(alertsNaming(cancelled)).isEmpty();
    }

    @Test
    void aBookingOverlappingManyStaysRecordsAtMostTheCapOfPairsTheEarliestFirst() {
        // 23 stays already on the nights (written directly: the cap, not the intake, is under test), then one more
        // arrives through a webhook: it is flagged, naming the earliest 20 it overlaps, not all 23
        for (int i = 0; i < 23; i++) {
            jdbc.update("insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status) "
                    + "values (?, ?, 'direct', null, date '2027-09-01' + ?, date '2027-09-30', 'confirmed')", agency.id(), property, i);
        }
        String arriving = code();
        book(arriving, "2027-09-25", "2027-09-27", "accept", "2026-11-01T10:00:00Z");

        List<Map<String, Object>> pairs = jdbc.queryForList("""
                select o.check_in from double_bookings d
                  join bookings b on b.id = d.booking_id join bookings o on o.id = d.other_booking_id
                 where b.reservation_code = ? order by o.check_in""", arriving);
        assertThat(pairs).hasSize(20);
        assertThat(pairs.get(0).get("check_in").toString()).isEqualTo("2027-09-01");
        assertThat(pairs.get(19).get("check_in").toString()).isEqualTo("2027-09-20");
        await().atMost(Duration.ofSeconds(5)).until(() -> alertsNaming(arriving).size() == 1);
    }
}
