package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.channelsync.channel.bookingcom.BookingComPollTest;
import io.channelsync.channel.bookingcom.BookingComTokenProvider;
import io.channelsync.support.TestData;
import io.channelsync.support.TestData.Agency;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Booking.com has no stay-window listing: its side is what the poll received (webhook_log), plus the
 * missed-reservations endpoint when configured (the test profile sets its path).
 */
class BookingComReconciliationTest extends ReconciliationTestSupport {

    static final String MISSED = "/booking/hotels/ota/missed-reservations";

    @Autowired
    BookingComTokenProvider tokens;

    static String reservationId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(5_000_000_000L, 9_000_000_000L));
    }

    /** One HotelReservation as Booking.com's reference pages describe it (one RoomRate per night, integer totals). */
    static String reservation(String id, String hotel, String room, LocalDate in, LocalDate out, int guests, long cents) {
        StringBuilder rates = new StringBuilder();
        for (LocalDate night = in; night.isBefore(out); night = night.plusDays(1)) {
            rates.append("<RoomRate EffectiveDate=\"").append(night).append("\" RatePlanCode=\"1\"><Rates><Rate><Total AmountAfterTax=\"")
                    .append(cents / (out.toEpochDay() - in.toEpochDay())).append("\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/></Rate></Rates></RoomRate>");
        }
        return "<HotelReservation><RoomStays><RoomStay IndexNumber=\"1\"><RoomTypes><RoomType RoomTypeCode=\"" + room + "\"/></RoomTypes>"
                + "<RoomRates>" + rates + "</RoomRates><GuestCounts><GuestCount Count=\"" + guests + "\"/></GuestCounts>"
                + "<Total AmountAfterTax=\"" + cents + "\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/><BasicPropertyInfo HotelCode=\"" + hotel + "\"/>"
                + "</RoomStay></RoomStays><ResGlobalInfo><Total AmountAfterTax=\"" + cents + "\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/>"
                + "<HotelReservationIDs><HotelReservationID ResID_Value=\"" + id + "\" ResID_Date=\"2026-11-01T09:00:00\"/></HotelReservationIDs>"
                + "</ResGlobalInfo></HotelReservation>";
    }

    static String queue(String... reservations) {
        return "<OTA_HotelResNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\" TimeStamp=\"2026-11-01T09:00:05+00:00\" Target=\"Test\" "
                + "Version=\"2.001\"><HotelReservations>" + String.join("", reservations) + "</HotelReservations></OTA_HotelResNotifRQ>";
    }

    void stubTokenAndAcks() {
        tokens.invalidate(); // another test may have left a token of its own
        CHANNELS.stubFor(post(urlPathEqualTo("/booking/token-based-authentication/exchange"))
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}")));
        CHANNELS.stubFor(post(urlPathMatching("/booking/hotels/ota/.*")).willReturn(ok()));
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResModifyNotif")).willReturn(ok(
                "<OTA_HotelResModifyNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"><HotelResModifies/></OTA_HotelResModifyNotifRQ>")));
    }

    void poll() {
        BookingComPollTest.pollNow(camel);
    }

    @Test
    void reservationsReceivedThroughThePollAndMissedReservationsAreComparedWithThePms() throws Exception {
        stubTokenAndAcks();
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String hotel = TestData.uniqueListingId();
        String room = TestData.uniqueListingId();
        data.bookingComMapping(agency.id(), property, hotel, room);
        LocalDate in = TODAY.plusDays(30);
        LocalDate out = TODAY.plusDays(33);
        String matching = reservationId();
        String changedInPms = reservationId();
        String missed = reservationId();
        String pmsOnly = reservationId();
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).willReturn(ok(queue(
                reservation(matching, hotel, room, in, out, 2, 30000),
                reservation(changedInPms, hotel, room, out, out.plusDays(2), 2, 20000)))));
        poll();
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).willReturn(ok(queue())));
        // the PMS drifts: someone edits a booking by hand, and a booking exists that Booking.com never sent
        jdbc.update("update bookings set guests = 5 where platform = 'booking_com' and reservation_code = ?", changedInPms);
        booking(agency.id(), property, "booking_com", pmsOnly, out.plusDays(10), out.plusDays(12), "confirmed", 2, "100.00");
        CHANNELS.stubFor(get(urlEqualTo(MISSED)).withHeader("Authorization", equalTo("Bearer test-jwt"))
                .willReturn(ok(queue(reservation(missed, hotel, room, out.plusDays(5), out.plusDays(7), 1, 15000)))));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(kinds(run)).containsExactlyInAnyOrder("guests_differ", "missing_on_channel", "missing_in_pms");
        assertThat(only(run, "guests_differ").path("reservation_code").asText()).isEqualTo(changedInPms);
        assertThat(only(run, "guests_differ").path("channel_value").path("guests").asInt()).isEqualTo(2);
        assertThat(only(run, "missing_on_channel").path("reservation_code").asText()).isEqualTo(pmsOnly);
        assertThat(only(run, "missing_in_pms").path("reservation_code").asText()).isEqualTo(missed);
        assertThat(run.path("counts").path("channel_bookings").asInt()).isEqualTo(3);
        // Booking.com has no stay-window listing: reconciliation never asks the reservation queue for one
        CHANNELS.verify(1, getRequestedFor(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif")));
    }

    @Test
    void aCancellationPolledBeforeTheNewReservationMessageOfTheSameVersionIsWhatBookingComHolds() throws Exception {
        // as the bookings upsert decides (issue 11.3): on an equal version a cancellation is final, whatever arrived last
        stubTokenAndAcks();
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String hotel = TestData.uniqueListingId();
        String room = TestData.uniqueListingId();
        data.bookingComMapping(agency.id(), property, hotel, room);
        String id = reservationId();
        String created = reservation(id, hotel, room, TODAY.plusDays(40), TODAY.plusDays(42), 2, 24000);
        String cancelled = created.replace("<HotelReservation>", "<HotelResModify ResStatus=\"Cancelled\">")
                .replace("</HotelReservation>", "</HotelResModify>");
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).willReturn(ok(queue())));
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResModifyNotif")).willReturn(ok(
                "<OTA_HotelResModifyNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\"><HotelResModifies>" + cancelled
                        + "</HotelResModifies></OTA_HotelResModifyNotifRQ>")));
        poll();
        stubTokenAndAcks(); // the modification queue is empty again
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).willReturn(ok(queue(created))));
        poll();
        CHANNELS.stubFor(get(urlEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).willReturn(ok(queue())));
        CHANNELS.stubFor(get(urlEqualTo(MISSED)).willReturn(ok(queue())));
        assertThat(jdbc.queryForObject("select status from bookings where platform = 'booking_com' and reservation_code = ?", String.class, id))
                .isEqualTo("cancelled");

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(kinds(run)).as(run.toString()).isEmpty();
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndTheMissedReservationsCallRetried() throws Exception {
        tokens.invalidate();
        CHANNELS.stubFor(post(urlPathEqualTo("/booking/token-based-authentication/exchange")).inScenario("token")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("renewed")
                .willReturn(okJson("{\"jwt\": \"stale-jwt\", \"expires_in\": 3600}")));
        CHANNELS.stubFor(post(urlPathEqualTo("/booking/token-based-authentication/exchange")).inScenario("token")
                .whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"jwt\": \"fresh-jwt\", \"expires_in\": 3600}")));
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String hotel = TestData.uniqueListingId();
        data.bookingComMapping(agency.id(), property, hotel, "11");
        CHANNELS.stubFor(get(urlEqualTo(MISSED)).withHeader("Authorization", equalTo("Bearer fresh-jwt")).atPriority(1)
                .willReturn(ok(queue())));
        CHANNELS.stubFor(get(urlEqualTo(MISSED)).atPriority(5).willReturn(aResponse().withStatus(401)));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(kinds(run)).isEmpty();
        CHANNELS.verify(1, getRequestedFor(urlEqualTo(MISSED)).withHeader("Authorization", equalTo("Bearer stale-jwt")));
        CHANNELS.verify(2, postRequestedFor(urlPathEqualTo("/booking/token-based-authentication/exchange")));
    }
}
