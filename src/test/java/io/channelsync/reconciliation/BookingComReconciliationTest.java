package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.support.TestData;
import io.channelsync.support.TestData.Agency;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.channelsync.channel.bookingcom.BookingComTokenProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Booking.com: OTA XML read page by page with the machine-account token, plus the missed-reservations endpoint. */
class BookingComReconciliationTest extends ReconciliationTestSupport {

    @Autowired
    BookingComTokenProvider tokens;

    static String xml(String nextOffset, String... reservations) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OTA_HotelResNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\""
                + (nextOffset == null ? "" : " NextOffset=\"" + nextOffset + "\"") + "><HotelReservations>"
                + String.join("", reservations) + "</HotelReservations></OTA_HotelResNotifRQ>";
    }

    static String reservation(String status, String id, String room, LocalDate in, LocalDate out, int guests, String amount) {
        return "<HotelReservation ResStatus=\"" + status + "\"><UniqueID ID=\"" + id + "\"/><RoomStays><RoomStay>"
                + "<RoomTypes><RoomType RoomTypeCode=\"" + room + "\"/></RoomTypes>"
                + "<TimeSpan Start=\"" + in + "\" End=\"" + out + "\"/>"
                + "<GuestCounts><GuestCount Count=\"" + guests + "\"/></GuestCounts>"
                + "<Total AmountAfterTax=\"" + amount + "\" CurrencyCode=\"EUR\"/></RoomStay></RoomStays>"
                + "<ResGuests><ResGuest><Profiles><ProfileInfo><Profile><Customer><PersonName><GivenName>João</GivenName>"
                + "<Surname>Gonçalves</Surname></PersonName></Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>"
                + "</HotelReservation>";
    }

    void stubXml(String path, String hotel, String offset, String body) {
        CHANNELS.stubFor(get(urlPathEqualTo("/booking" + path)).withQueryParam("hotel_id", equalTo(hotel))
                .withQueryParam("offset", equalTo(offset))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(body)));
    }

    @Test
    void bookingComReservationsAndMissedReservationsAreComparedPageByPage() throws Exception {
        CHANNELS.stubFor(post(urlPathEqualTo("/booking/token-based-authentication/exchange"))
                .willReturn(okJson("{\"jwt\": \"test-jwt\", \"expires_in\": 3600}")));
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String hotel = TestData.uniqueListingId();
        String room = "7700101";
        data.bookingComMapping(agency.id(), property, hotel, room);
        LocalDate in = TODAY.plusDays(30);
        LocalDate out = TODAY.plusDays(33);
        String matching = "40" + System.nanoTime() % 100000000;
        String guestsDiffer = "41" + System.nanoTime() % 100000000;
        String missed = "42" + System.nanoTime() % 100000000;
        String otherRoom = "43" + System.nanoTime() % 100000000;
        booking(agency.id(), property, "booking_com", matching, in, out, "confirmed", 2, "300.00");
        booking(agency.id(), property, "booking_com", guestsDiffer, out, out.plusDays(2), "confirmed", 2, "200.00");
        stubXml("/hotels/ota/OTA_HotelResNotif", hotel, "0",
                xml("1", reservation("Book", matching, room, in, out, 2, "300.00"),
                        reservation("Book", otherRoom, "9999", in, out, 2, "100.00")));
        stubXml("/hotels/ota/OTA_HotelResNotif", hotel, "1", xml(null, reservation("Modify", guestsDiffer, room, out, out.plusDays(2), 3, "200.00")));
        stubXml("/hotels/ota/missed-reservations", hotel, "0",
                xml(null, reservation("Book", missed, room, out.plusDays(5), out.plusDays(7), 1, "150.00")));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(kinds(run)).containsExactlyInAnyOrder("guests_differ", "missing_in_pms");
        assertThat(only(run, "missing_in_pms").path("reservation_code").asText()).isEqualTo(missed);
        assertThat(only(run, "guests_differ").path("channel_value").path("guests").asInt()).isEqualTo(3);
        assertThat(run.path("counts").path("channel_bookings").asInt()).isEqualTo(3);
        CHANNELS.verify(getRequestedFor(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif"))
                .withQueryParam("room_id", equalTo(room))
                .withHeader("Authorization", equalTo("Bearer test-jwt")));
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndTheCallRetried() throws Exception {
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
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).withQueryParam("hotel_id", equalTo(hotel))
                .withHeader("Authorization", equalTo("Bearer fresh-jwt")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody(xml(null))));
        CHANNELS.stubFor(get(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif")).withQueryParam("hotel_id", equalTo(hotel))
                .atPriority(5).willReturn(aResponse().withStatus(401)));
        stubXml("/hotels/ota/missed-reservations", hotel, "0", xml(null));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(kinds(run)).isEmpty();
        CHANNELS.verify(1, getRequestedFor(urlPathEqualTo("/booking/hotels/ota/OTA_HotelResNotif"))
                .withHeader("Authorization", equalTo("Bearer stale-jwt")));
        CHANNELS.verify(2, postRequestedFor(urlPathEqualTo("/booking/token-based-authentication/exchange")));
    }
}
