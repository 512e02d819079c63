package io.channelsync.channel.bookingcom;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Booking.com's reservation queue, end to end: the real poll route against WireMock standing in for both
 * Booking.com hosts, real PostgreSQL, the real sync route pushing to Airbnb's WireMock. Each test polls
 * through the route synchronously ({@link #poll()}); the timer route does not run in tests.
 */
public class BookingComPollTest extends IntegrationTest {

    static final String NEW = "/booking/hotels/ota/OTA_HotelResNotif";
    static final String MODIFY = "/booking/hotels/ota/OTA_HotelResModifyNotif";
    static final String EMPTY_NEW = "<OTA_HotelResNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"><HotelReservations/></OTA_HotelResNotifRQ>";
    static final String EMPTY_MODIFY = "<OTA_HotelResModifyNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"><HotelResModifies/></OTA_HotelResModifyNotifRQ>";

    @Autowired
    BookingComReservationProperties config;

    private UUID agency;
    private String agencyKey;
    private UUID property;
    private UUID airbnbMapping;
    private String listing;
    private String hotel;
    private String room;
    private String reservation;

    @BeforeEach
    void propertyOnBothChannels() {
        TestData.Agency holder = data.agency();
        agency = holder.id();
        agencyKey = holder.apiKey();
        property = data.property(agency);
        listing = TestData.uniqueListingId();
        hotel = TestData.uniqueListingId();
        room = TestData.uniqueListingId();
        reservation = Long.toString(ThreadLocalRandom.current().nextLong(5_000_000_000L, 9_000_000_000L));
        airbnbMapping = data.airbnbMapping(agency, property, listing);
        data.bookingComMapping(agency, property, hotel, room);
        CHANNELS.stubFor(post("/booking/token-based-authentication/exchange")
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}")));
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*")).willReturn(okJson("{}")));
        queue(NEW, EMPTY_NEW);
        queue(MODIFY, EMPTY_MODIFY);
        acknowledgements(ok("<OTA_HotelResNotifRS><Success/></OTA_HotelResNotifRS>"));
    }

    /** A fixture with this test's hotel, rooms and reservation id. */
    private String fixture(String name) throws IOException {
        return new String(OtaConformanceTest.fixture(name), StandardCharsets.UTF_8)
                .replace("HotelCode=\"770011\"", "HotelCode=\"" + hotel + "\"")
                .replace("RoomTypeCode=\"7700101\"", "RoomTypeCode=\"" + room + "\"")
                .replace("ResID_Value=\"4100200301\"", "ResID_Value=\"" + reservation + "\"")
                .replace("ResID_Value=\"4100200377\"", "ResID_Value=\"" + reservation + "\"");
    }

    private void queue(String path, String body) {
        CHANNELS.stubFor(get(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer test-jwt"))
                .willReturn(ok(body).withHeader("Content-Type", "application/xml")));
    }

    private void acknowledgements(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        CHANNELS.stubFor(post(urlEqualTo(NEW)).willReturn(answer));
        CHANNELS.stubFor(post(urlEqualTo(MODIFY)).willReturn(answer));
    }

    /** One poll through the route, waiting for it to finish. */
    private void poll() {
        pollNow(camel);
    }

    /**
     * One poll asked for (as route booking-com-poll-now does) and run through the route booking-com-poll, waiting for it
     * to finish: polled whether or not the cluster's poll is due.
     */
    public static void pollNow(CamelContext camel) {
        camel.getRegistry().lookupByNameAndType("bookingComReservationPoller", BookingComReservationPoller.class).request();
        camel.createProducerTemplate().sendBody("seda:booking-com-poll?size=1&waitForTaskToComplete=Always&timeout=60000", "");
    }

    private Map<String, Object> booking(String code) {
        return jdbc.queryForMap("select check_in::text as check_in, check_out::text as check_out, status, guests, "
                + "total_amount::text as total, currency, guest_name from bookings where platform = 'booking_com' and reservation_code = ?", code);
    }

    private int airbnbJobs() {
        return jdbc.queryForObject("select count(*) from sync_logs where mapping_id = ?", Integer.class, airbnbMapping);
    }

    private int acks(String path, String contains) {
        return CHANNELS.findAll(postRequestedFor(urlEqualTo(path)).withRequestBody(containing(contains))).size();
    }

    @Test
    void polledReservationIsStoredAsItsOwnEventAcknowledgedAndClosesTheOtherChannel() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));

        poll();

        assertThat(booking(reservation)).containsEntry("check_in", "2026-12-10").containsEntry("check_out", "2026-12-13")
                .containsEntry("status", "confirmed").containsEntry("guests", 2).containsEntry("total", "370.50")
                .containsEntry("currency", "EUR").containsEntry("guest_name", "Marta Okafor");
        Map<String, Object> event = jdbc.queryForMap("select event_type, status, convert_from(raw_body, 'UTF8') as raw, "
                + "payload->>'reservation_id' as reservation_id from webhook_log where platform = 'booking_com' and event_id = ?",
                reservation + "@2026-11-27T09:14:40");
        assertThat(event).containsEntry("event_type", "OTA_HotelResNotif").containsEntry("status", "processed")
                .containsEntry("reservation_id", reservation);
        assertThat((String) event.get("raw")).contains("ResID_Value=\"" + reservation + "\"").doesNotContain("4111000011110000");
        // acknowledged with Success and its id, with our token
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(NEW)).withHeader("Authorization", equalTo("Bearer test-jwt"))
                .withRequestBody(containing("<Success/>")).withRequestBody(containing("ResID_Value=\"" + reservation + "\""))
                .withRequestBody(containing("Target=\"Test\"")));
        assertThat(jdbc.queryForObject("select acknowledged_at is not null from booking_com_reservation_messages where reservation_id = ?",
                Boolean.class, reservation)).isTrue();
        // the other channel: one sync job, pushed to Airbnb by the sync route
        assertThat(airbnbJobs()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                CHANNELS.verify(putRequestedFor(urlPathMatching("/airbnb/v2/calendars/" + listing + ".*"))));
    }

    @Test
    void aPolledReservationOnNightsAnAirbnbBookingHoldsRaisesADoubleBookingAlertNamingBothChannels() throws IOException {
        jdbc.update("""
                insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status, source_updated_at)
                values (?, ?, 'airbnb', ?, date '2026-12-12', date '2026-12-15', 'confirmed', now())""", agency, property, "HM" + reservation);
        queue(NEW, fixture("new-reservation.xml"));

        poll(); // stays 2026-12-10 to 2026-12-13

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.queryForList("""
                select severity, message from alerts where kind = 'double_booking' and agency_id = ?
                   and payload->'booking' @> cast(? as jsonb) and payload->'conflicts' @> cast(? as jsonb)""", agency,
                "{\"platform\": \"booking_com\", \"reservation_code\": \"" + reservation + "\"}",
                "[{\"platform\": \"airbnb\", \"reservation_code\": \"HM" + reservation + "\"}]"))
                .singleElement().satisfies(alert -> {
                    assertThat(alert).containsEntry("severity", "critical");
                    assertThat((String) alert.get("message")).contains("booking_com " + reservation).contains("airbnb HM" + reservation);
                }));
        assertThat(jdbc.queryForObject("select count(*) from webhook_attempts a join webhook_log w on w.id = a.webhook_log_id "
                + "where w.event_id like ? and a.outcome = 'processed'", Integer.class, reservation + "@%")).isEqualTo(1);
    }

    @Test
    void anAcknowledgementThatNeverGoesThroughLeavesItQueuedAndTheNextPollDeduplicatesAndAcknowledgesIt() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));
        acknowledgements(serverError());

        poll();

        // committed, then acknowledged 1 + 2 retries (test profile), all refused: Booking.com still holds it
        assertThat(booking(reservation)).containsEntry("status", "confirmed");
        assertThat(acks(NEW, reservation)).isEqualTo(3);
        assertThat(jdbc.queryForMap("select acknowledged_at, last_ack_error from booking_com_reservation_messages where reservation_id = ?",
                reservation)).containsEntry("acknowledged_at", null).extractingByKey("last_ack_error").asString().contains("HTTP 500");

        // Booking.com returns it again at the next GET; this time the acknowledgement goes through
        acknowledgements(ok());
        poll();

        assertThat(acks(NEW, "<Success/>")).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from bookings where platform = 'booking_com' and reservation_code = ?",
                Integer.class, reservation)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where platform = 'booking_com' and event_id like ? "
                + "and status not in ('rejected', 'duplicate')", Integer.class, reservation + "@%")).isEqualTo(1);
        assertThat(airbnbJobs()).as("no second sync job").isEqualTo(1);
        assertThat(jdbc.queryForObject("select acknowledged_at is not null from booking_com_reservation_messages where reservation_id = ?",
                Boolean.class, reservation)).isTrue();
    }

    @Test
    void aFailedAcknowledgementIsRetriedWithBackoffUntilBookingComTakesIt() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));
        CHANNELS.stubFor(post(urlEqualTo(NEW)).inScenario("ack").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        CHANNELS.stubFor(post(urlEqualTo(NEW)).inScenario("ack").whenScenarioStateIs("recovered").willReturn(ok()));

        poll();

        assertThat(acks(NEW, reservation)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select acknowledged_at is not null from booking_com_reservation_messages where reservation_id = ?",
                Boolean.class, reservation)).isTrue();
    }

    @Test
    void aPageOfManyReservationsIsStoredSeveralAtATimeAndAcknowledgedInOneRequestAfterEveryCommit() throws IOException {
        // one GET with 12 reservations (the stores run store-threads at a time), then one GET of the modify endpoint
        // holding two messages of one reservation (a modification, then its cancellation): applied in their order
        String page = fixture("new-reservation.xml");
        String one = page.substring(page.indexOf("<HotelReservation>"), page.indexOf("</HotelReservations>"));
        List<String> ids = java.util.stream.IntStream.range(0, 12).mapToObj(i -> Long.toString(Long.parseLong(reservation) + i)).toList();
        String many = ids.stream().map(id -> one.replace("ResID_Value=\"" + reservation + "\"", "ResID_Value=\"" + id + "\""))
                .collect(java.util.stream.Collectors.joining());
        queue(NEW, page.replace(one, many));
        String modified = fixture("modified-reservation.xml");
        String modification = modified.substring(modified.indexOf("<HotelResModify "), modified.indexOf("</HotelResModifies>"));
        String cancelled = fixture("cancelled-reservation.xml");
        String cancellation = cancelled.substring(cancelled.indexOf("<HotelResModify "), cancelled.indexOf("</HotelResModifies>"));
        queue(MODIFY, modified.replace(modification, modification + cancellation));

        poll();

        for (String id : ids.subList(1, ids.size())) {
            assertThat(booking(id)).as("reservation " + id).containsEntry("status", "confirmed");
            assertThat(acks(NEW, "ResID_Value=\"" + id + "\"")).as("acknowledgement of " + id).isEqualTo(1);
        }
        assertThat(acks(NEW, "<Success/>")).as("the successes of one GET in one acknowledgement").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from booking_com_reservation_messages where reservation_id = any(?) "
                + "and acknowledged_at is not null", Integer.class, (Object) ids.toArray(String[]::new))).as("12 new, 2 modify messages")
                .isEqualTo(14);
        // the first reservation: created, modified, then cancelled, in Booking.com's order
        assertThat(booking(reservation)).containsEntry("status", "cancelled");
        assertThat(acks(MODIFY, "<Success/>")).as("both messages of the modify GET in one acknowledgement").isEqualTo(1);
        assertThat(CHANNELS.findAll(postRequestedFor(urlEqualTo(MODIFY))).get(0).getBodyAsString().split("<HotelReservationID ", -1))
                .as("both messages named").hasSize(3);
    }

    @Test
    void aCancellationFromHotelResModifyCancelsTheBookingAndReopensTheOtherChannel() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));
        poll();
        queue(NEW, EMPTY_NEW);
        queue(MODIFY, fixture("cancelled-reservation.xml"));

        poll();

        assertThat(booking(reservation)).containsEntry("status", "cancelled");
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(MODIFY)).withRequestBody(containing("<OTA_HotelResModifyNotifRS"))
                .withRequestBody(containing("<Success/>")).withRequestBody(containing("<HotelResModify>"))
                .withRequestBody(containing("ResID_Value=\"" + reservation + "\"")));
        assertThat(airbnbJobs()).isEqualTo(2);
    }

    @Test
    void aModificationWithAnOlderVersionChangesNothing() throws IOException {
        queue(MODIFY, fixture("modified-reservation.xml"));
        poll();
        assertThat(booking(reservation)).containsEntry("check_out", "2026-12-14").containsEntry("guests", 3);

        // an older modification (made before the one already stored) arrives later
        queue(MODIFY, fixture("modified-reservation.xml").replace("LastModifyDateTime=\"2026-11-28T16:01:50\"",
                "LastModifyDateTime=\"2026-11-28T10:00:00\"").replace("<GuestCount Count=\"3\"/>", "<GuestCount Count=\"1\"/>"));
        poll();

        assertThat(booking(reservation)).containsEntry("check_out", "2026-12-14").containsEntry("guests", 3);
        assertThat(airbnbJobs()).isEqualTo(1);
        // it was processed (an older version is not an error): acknowledged as success
        assertThat(acks(MODIFY, "<Success/>")).isEqualTo(2);
    }

    @Test
    void aCancellationStaysCancelledWhenTheNewReservationMessageOfTheSameVersionIsPolledAfterIt() throws IOException {
        // Booking.com may hand out the new-reservation message after the cancellation (it was not acknowledged yet).
        // Without LastModifyDateTime the cancellation's version is the reservation date, the same as the new
        // reservation's: arrival would decide, and the later (older) message would bring the booking back.
        queue(MODIFY, fixture("cancelled-reservation.xml").replace(" LastModifyDateTime=\"2026-11-29T08:29:41\"", ""));
        poll();
        assertThat(booking(reservation)).containsEntry("status", "cancelled");

        queue(MODIFY, EMPTY_MODIFY);
        queue(NEW, fixture("new-reservation.xml"));
        poll();

        assertThat(booking(reservation)).containsEntry("status", "cancelled");
        assertThat(airbnbJobs()).as("the stale message closes no nights").isEqualTo(1);
        assertThat(acks(NEW, "<Success/>")).as("an older version is processed, not an error").isEqualTo(1);
    }

    @Test
    void aReservationForAnUnmappedRoomIsParkedAcknowledgedAsSuccessAfterItsCommitAndAppliedWhenTheRoomIsMapped() throws Exception {
        String unmappedRoom = TestData.uniqueListingId();
        queue(NEW, fixture("new-reservation.xml").replace("RoomTypeCode=\"" + room + "\"", "RoomTypeCode=\"" + unmappedRoom + "\""));

        poll();

        // parked durably, then acknowledged as a success (Booking.com may drop it: it is ours), and an alert raised
        Map<String, Object> row = jdbc.queryForMap("select id, status, error, unmapped_listing_id, unmapped_room_id from webhook_log "
                + "where platform = 'booking_com' and event_id = ?", reservation + "@2026-11-27T09:14:40");
        assertThat(row).containsEntry("status", "unmapped").containsEntry("unmapped_listing_id", hotel)
                .containsEntry("unmapped_room_id", unmappedRoom);
        assertThat((String) row.get("error")).contains("no mapping for hotel " + hotel + " room " + unmappedRoom);
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(NEW)).withRequestBody(containing("<Success/>"))
                .withRequestBody(containing("ResID_Value=\"" + reservation + "\"")));
        CHANNELS.verify(0, postRequestedFor(urlEqualTo(NEW)).withRequestBody(containing("<Errors>")));
        assertThat(jdbc.queryForObject("select acknowledged_at is not null from booking_com_reservation_messages where reservation_id = ?",
                Boolean.class, reservation)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from alerts where kind = 'reservation_unmapped' and payload->>'webhook_log_id' = ?",
                Integer.class, row.get("id").toString())).isEqualTo(1);
        // listed for the agency whose connection holds the hotel, not for another agency
        String listing = "/api/v1/unmapped-events?platform=booking_com&listing_id=" + hotel;
        assertThat(api.get(listing, agencyKey).body()).contains("\"id\":" + row.get("id")).contains("\"room_id\":\"" + unmappedRoom + "\"");
        assertThat(api.get(listing, data.agency().apiKey()).body()).contains("\"items\":[]");
        assertThat(jdbc.queryForObject("select count(*) from bookings where reservation_code = ?", Integer.class, reservation)).isZero();

        // the room is mapped: applied from its stored XML, with no further poll or acknowledgement
        UUID secondProperty = data.property(agency);
        data.bookingComMapping(agency, secondProperty, hotel, unmappedRoom);

        await().atMost(Duration.ofSeconds(10)).until(() -> "processed".equals(
                jdbc.queryForObject("select status from webhook_log where id = ?", String.class, row.get("id"))));
        assertThat(booking(reservation)).containsEntry("status", "confirmed").containsEntry("check_in", "2026-12-10")
                .containsEntry("check_out", "2026-12-13").containsEntry("guest_name", "Marta Okafor");
        assertThat(jdbc.queryForObject("select property_id from bookings where platform = 'booking_com' and reservation_code = ?",
                UUID.class, reservation)).isEqualTo(secondProperty);
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(NEW)).withRequestBody(containing("ResID_Value=\"" + reservation + "\"")));
    }

    @Test
    void aReservationTheDatabaseRefusesIsRolledBackAcknowledgedAsFailedAndStoredOnceTheCauseIsGone() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));
        // fault injection in the real database: inserting this booking fails until the trigger is dropped
        String fault = "fail_" + reservation;
        jdbc.execute("create function " + fault + "() returns trigger language plpgsql as $$ begin "
                + "if new.reservation_code = '" + reservation + "' then raise exception 'injected failure'; end if; return new; end $$");
        jdbc.execute("create trigger " + fault + " before insert on bookings for each row execute function " + fault + "()");
        try {
            poll();
        } finally {
            jdbc.execute("drop trigger " + fault + " on bookings");
            jdbc.execute("drop function " + fault + "()");
        }
        // nothing half-stored: no event row, no booking, no sync job; Booking.com told, with the id, to keep it
        assertThat(jdbc.queryForObject("select count(*) from webhook_log where platform = 'booking_com' and event_id like ?",
                Integer.class, reservation + "@%")).isZero();
        assertThat(airbnbJobs()).isZero();
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(NEW)).withRequestBody(containing("<Errors>"))
                .withRequestBody(containing("ResID_Value=\"" + reservation + "\"")));

        poll();

        assertThat(booking(reservation)).containsEntry("status", "confirmed");
        assertThat(airbnbJobs()).isEqualTo(1);
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(NEW)).withRequestBody(containing("<Success/>")));
    }

    @Test
    void aMultiRoomReservationIsOneBookingPerRoom() throws IOException {
        String secondRoom = TestData.uniqueListingId();
        UUID secondProperty = data.property(agency);
        data.bookingComMapping(agency, secondProperty, hotel, secondRoom);
        queue(NEW, fixture("multi-room-reservation.xml").replace("RoomTypeCode=\"7700102\"", "RoomTypeCode=\"" + secondRoom + "\""));

        poll();

        assertThat(booking(reservation + "-611")).containsEntry("check_out", "2027-01-07").containsEntry("guests", 2)
                .containsEntry("total", "180.00");
        assertThat(booking(reservation + "-612")).containsEntry("check_out", "2027-01-08").containsEntry("guests", 1)
                .containsEntry("total", "225.75");
        assertThat(acks(NEW, "<Success/>")).isEqualTo(1);
    }

    @Test
    void aReservationStillUnacknowledgedAfter25MinutesRaisesOneAlert() throws IOException {
        queue(NEW, fixture("new-reservation.xml"));
        acknowledgements(serverError());
        poll();
        jdbc.update("update booking_com_reservation_messages set first_seen_at = now() - interval '26 minutes' where reservation_id = ?",
                reservation);

        poll();
        poll();

        assertThat(jdbc.queryForObject("select count(*) from alerts where kind = 'booking_com_unacknowledged' and payload->>'reservation_id' = ?",
                Integer.class, reservation)).isEqualTo(1);
    }

    @Test
    void theTimerChecksEveryCheckIntervalButPollsAtMostOncePerPollInterval() throws Exception {
        Duration interval = config.pollInterval();
        ManagedRouteMBean timer = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("booking-com-poll-timer");
        long checksBefore = timer.getExchangesCompleted();
        camel.getRouteController().startRoute("booking-com-poll-timer");
        try {
            await().atMost(interval.multipliedBy(10)).until(() -> CHANNELS.findAll(getRequestedFor(urlEqualTo(NEW))).size() >= 4);
        } finally {
            camel.getRouteController().stopRoute("booking-com-poll-timer");
        }
        long checks = timer.getExchangesCompleted() - checksBefore;
        List<Instant> polls = CHANNELS.findAll(getRequestedFor(urlEqualTo(NEW))).stream().map(r -> r.getLoggedDate().toInstant())
                .sorted().toList();
        // a GET comes a little after its poll was recorded (a busy machine): a quarter of the interval of margin
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.between(polls.get(i - 1), polls.get(i))).as("time between polls %s and %s", i, i + 1)
                    .isGreaterThan(interval.minus(interval.dividedBy(4)));
        }
        assertThat(checks).as("checks (every %s) for %s polls", config.pollCheckInterval(), polls.size())
                .isGreaterThanOrEqualTo(2L * polls.size());
    }

    @Test
    void aRequestedPollIsNotLostWhenItsWakeUpIsDroppedBecauseOneIsAlreadyWaiting() {
        // the poll of a first request runs (its GET takes a while) ...
        CHANNELS.stubFor(get(urlEqualTo(NEW)).willReturn(ok(EMPTY_NEW).withHeader("Content-Type", "application/xml")
                .withFixedDelay(2000)));
        ProducerTemplate template = camel.createProducerTemplate();
        java.sql.Timestamp asked = jdbc.queryForObject("select now()", java.sql.Timestamp.class);
        template.sendBody(CnsNotifications.POLL_NOW, "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select polled_at >= ? from channel_polls where platform = 'booking_com'", Boolean.class, asked));
        // the cluster's next poll is not due for a long time (no timing in this test) ...
        jdbc.update("update channel_polls set polled_at = now() + interval '1 hour' where platform = 'booking_com'");
        try {
            // ... a wake-up of the timer waits in the one slot: alone it would not poll ...
            template.sendBody("seda:booking-com-poll?size=1&discardWhenFull=true&waitForTaskToComplete=Never", "");
            assertThat(camel.getEndpoint("seda:booking-com-poll", SedaEndpoint.class).getCurrentQueueSize()).isEqualTo(1);
            // ... and a CNS notification asks for a poll: its wake-up is dropped, its request is not
            template.sendBody(CnsNotifications.POLL_NOW, "{}");

            await().atMost(Duration.ofSeconds(15)).until(() -> CHANNELS.findAll(getRequestedFor(urlEqualTo(NEW))).size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size("booking-com-poll") == 0);
        } finally {
            jdbc.update("update channel_polls set polled_at = now() - interval '1 hour' where platform = 'booking_com'");
        }
        CHANNELS.verify(2, getRequestedFor(urlEqualTo(NEW)));
    }

    @Test
    void onlyOnePollerRunsAtATimeAcrossInstances() throws Exception {
        queue(NEW, fixture("new-reservation.xml"));
        try (Connection other = jdbc.getDataSource().getConnection();
             PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?, 1)")) {
            lock.setInt(1, BookingComReservationPoller.LOCK_NAMESPACE);
            lock.execute(); // another instance is polling
            poll();
            CHANNELS.verify(0, getRequestedFor(urlEqualTo(NEW)));
            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?, 1)")) {
                unlock.setInt(1, BookingComReservationPoller.LOCK_NAMESPACE);
                unlock.execute();
            }
        }
        poll();
        CHANNELS.verify(1, getRequestedFor(urlEqualTo(NEW)));
        assertThat(booking(reservation)).containsEntry("status", "confirmed");
    }
}
