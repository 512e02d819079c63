package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.support.TestData;
import io.channelsync.support.TestData.Agency;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** One Airbnb-mapped property per test; the PMS and the channel disagree in exactly one way. */
class DriftDetectionTest extends ReconciliationTestSupport {

    Agency agency;
    UUID property;
    String listing;
    final LocalDate in = TODAY.plusDays(20);
    final LocalDate out = TODAY.plusDays(24);

    @BeforeEach
    void airbnbMappedProperty() {
        agency = data.agency();
        property = data.property(agency.id());
        listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
    }

    @Test
    void matchingBookingsGiveACleanRunWithoutAlert() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        booking(agency.id(), property, "airbnb", code(), TODAY.plusDays(40), TODAY.plusDays(42), "cancelled", 2, "100.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "accept", 2, "480.00")));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(run.path("trigger").asText()).isEqualTo("api");
        assertThat(run.path("finished_at").isNull()).isFalse();
        assertThat(run.path("counts").path("pms_bookings").asInt()).isEqualTo(2);
        assertThat(run.path("counts").path("channel_bookings").asInt()).isEqualTo(1);
        assertThat(run.path("counts").path("discrepancies").asInt()).isZero();
        assertThat(kinds(run)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from alerts where run_id = ?", Integer.class, run.path("id").asLong())).isZero();
        String host = data.airbnbHost(data.airbnbConnection(agency.id()));
        CHANNELS.verify(getRequestedFor(urlPathEqualTo("/airbnb/v2/reservations"))
                .withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50"))
                .withHeader("X-Airbnb-API-Key", equalTo("test-airbnb-api-key"))
                .withHeader("X-Airbnb-OAuth-Token", equalTo(io.channelsync.support.TestData.oauthToken(host)))
                .withoutHeader("Authorization"));
    }

    @Test
    void aReservationOnlyOnTheChannelIsMissingInPms() throws Exception {
        String code = code();
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "accept", 3, "300.00"),
                airbnbReservation(listing, code(), in, out, "cancelled_by_host", 3, "300.00")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("missing_in_pms");
        JsonNode d = only(run, "missing_in_pms");
        assertThat(d.path("reservation_code").asText()).isEqualTo(code);
        assertThat(d.path("severity").asText()).isEqualTo("warning");
        assertThat(d.path("pms_value").isNull()).isTrue();
        assertThat(d.path("channel_value").path("check_in").asText()).isEqualTo(in.toString());
        assertThat(d.path("property_id").asText()).isEqualTo(property.toString());
        // the finding is also a reconciliation.discrepancy event for the agency's PMS, written with it
        Map<String, Object> event = jdbc.queryForMap("""
                select agency_id, data->>'kind' as kind, data->>'reservation_code' as code, data->'channel_value'->>'check_in' as check_in
                from events where type = 'reconciliation.discrepancy' and cast(data->>'discrepancy_id' as bigint) = ?""",
                d.path("id").asLong());
        assertThat(event).containsEntry("agency_id", agency.id()).containsEntry("kind", "missing_in_pms")
                .containsEntry("code", code).containsEntry("check_in", in.toString());
    }

    @Test
    void aPmsBookingTheChannelDoesNotHoldIsMissingOnChannel() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        booking(agency.id(), property, "direct", null, TODAY.plusDays(50), TODAY.plusDays(52), "confirmed", 2, "200.00");
        stubAirbnb(listing, List.of());

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("missing_on_channel");
        JsonNode d = only(run, "missing_on_channel");
        assertThat(d.path("reservation_code").asText()).isEqualTo(code);
        assertThat(d.path("pms_value").path("status").asText()).isEqualTo("confirmed");
        assertThat(d.path("channel_value").isNull()).isTrue();
    }

    @Test
    void differentStayDatesAreReportedWithBothSides() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in.plusDays(1), out.plusDays(1), "accept", 2, "480.00")));

        JsonNode d = only(runFor(agency), "dates_differ");

        assertThat(d.path("pms_value").path("check_in").asText()).isEqualTo(in.toString());
        assertThat(d.path("channel_value").path("check_in").asText()).isEqualTo(in.plusDays(1).toString());
        assertThat(d.path("channel_value").path("check_out").asText()).isEqualTo(out.plusDays(1).toString());
    }

    @Test
    void cancelledOnTheChannelButConfirmedInPmsIsAStatusDifference() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "cancelled_by_guest", 2, "480.00")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("status_differs");
        JsonNode d = only(run, "status_differs");
        assertThat(d.path("pms_value").path("status").asText()).isEqualTo("confirmed");
        assertThat(d.path("channel_value").path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aDifferentGuestCountIsReported() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "accept", 4, "480.00")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("guests_differ");
        JsonNode d = only(run, "guests_differ");
        assertThat(d.path("pms_value").path("guests").asInt()).isEqualTo(2);
        assertThat(d.path("channel_value").path("guests").asInt()).isEqualTo(4);
        assertThat(d.path("severity").asText()).isEqualTo("info");
    }

    @Test
    void aDifferentAmountIsReported() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "accept", 2, "455.50")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("amount_differs");
        JsonNode d = only(run, "amount_differs");
        assertThat(d.path("pms_value").path("total_amount").decimalValue()).isEqualByComparingTo("480.00");
        assertThat(d.path("channel_value").path("amount").decimalValue()).isEqualByComparingTo("455.50");
    }

    @Test
    void overlappingConfirmedBookingsAreACriticalDoubleBookingAlert() throws Exception {
        String code = code();
        booking(agency.id(), property, "airbnb", code, in, out, "confirmed", 2, "480.00");
        booking(agency.id(), property, "direct", null, out.minusDays(1), out.plusDays(3), "confirmed", 2, "300.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code, in, out, "accept", 2, "480.00")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactly("double_booking");
        JsonNode d = only(run, "double_booking");
        assertThat(d.path("severity").asText()).isEqualTo("critical");
        assertThat(d.path("pms_value").path("bookings")).hasSize(2);
        var alert = jdbc.queryForMap("select severity, kind, message from alerts where run_id = ?", run.path("id").asLong());
        assertThat(alert.get("severity")).isEqualTo("critical");
        assertThat(alert.get("kind")).isEqualTo("reconciliation.double_booking");
    }

    @Test
    void aChannelReservationMissingInPmsOverAConfirmedStayIsAlsoADoubleBooking() throws Exception {
        booking(agency.id(), property, "direct", null, in, out, "confirmed", 2, "300.00");
        stubAirbnb(listing, List.of(airbnbReservation(listing, code(), in.plusDays(1), out.plusDays(1), "accept", 2, "480.00")));

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).containsExactlyInAnyOrder("missing_in_pms", "double_booking");
        assertThat(only(run, "double_booking").path("channel_value").path("check_in").asText()).isEqualTo(in.plusDays(1).toString());
    }

    @Test
    void anUnreachableChannelFailsTheMappingAndIsRecorded() throws Exception {
        booking(agency.id(), property, "airbnb", code(), in, out, "confirmed", 2, "480.00");
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations"))
                .willReturn(aResponse().withStatus(503)));

        JsonNode run = runFor(agency);

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("counts").path("mappings_failed").asInt()).isEqualTo(1);
        assertThat(kinds(run)).containsExactly("channel_unreachable");
        assertThat(only(run, "channel_unreachable").path("channel_value").path("http_status").asInt()).isEqualTo(503);
        assertThat(run.path("error").asText()).contains("1 of 1 mapping");
        assertThat(jdbc.queryForObject("select count(*) from alerts where run_id = ?", Integer.class, run.path("id").asLong())).isEqualTo(1);
    }

    @Test
    void channelReservationsAreReadPageByPage() throws Exception {
        String first = code();
        String second = code();
        booking(agency.id(), property, "airbnb", first, in, out, "confirmed", 2, "480.00");
        booking(agency.id(), property, "airbnb", second, out, out.plusDays(2), "confirmed", 2, "200.00");
        stubAirbnbPage(listing, 0, List.of(airbnbReservation(listing, first, in, out, "accept", 2, "480.00")), 1);
        stubAirbnbPage(listing, 1, List.of(airbnbReservation(listing, second, out, out.plusDays(2), "accept", 2, "200.00")), null);

        JsonNode run = runFor(agency);

        assertThat(kinds(run)).isEmpty();
        assertThat(run.path("counts").path("channel_bookings").asInt()).isEqualTo(2);
        CHANNELS.verify(2, getRequestedFor(urlPathEqualTo("/airbnb/v2/reservations")));
    }
}
