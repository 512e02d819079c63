package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Airbnb's connector against the shapes of the public evidence (fixtures in
 * src/test/resources/io/channelsync/channel/airbnb, each naming what it follows): the calendar PUT
 * (paths, bodies, folding), the reservations read per host with cursor paging, every status_type,
 * and the two headers on every call. WireMock plays Airbnb; the database and HTTP are real.
 */
class AirbnbConformanceTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AirbnbCalendarClient calendar;
    @Autowired
    AirbnbReservationsClient reservations;

    private TestData.Agency agency;
    private String listing;
    private String otherListing;
    private String host;
    private String token;

    @BeforeEach
    void aHostWithTwoMappedListings() {
        agency = data.agency();
        listing = TestData.uniqueListingId();
        otherListing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), data.property(agency.id()), listing);
        data.airbnbMapping(agency.id(), data.property(agency.id()), otherListing);
        host = data.airbnbHost(data.airbnbConnection(agency.id()));
        token = TestData.oauthToken(host);
    }

    private String fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${HOST}", host).replace("${LISTING}", listing).replace("${OTHER_LISTING}", otherListing);
        }
    }

    private void stubReservationPages() throws IOException {
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50")).withQueryParam("_cursor", absent())
                .willReturn(okJson(fixture("reservations-page-1.json"))));
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50")).withQueryParam("_cursor", equalTo("fixture-cursor-2"))
                .willReturn(okJson(fixture("reservations-page-2.json"))));
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50")).withQueryParam("_cursor", equalTo("fixture-cursor-3"))
                .willReturn(okJson(fixture("reservations-page-3.json"))));
    }

    private Map<String, ChannelReservation> readListing(LocalDate from, LocalDate to, List<Integer> pageSizes) throws IOException {
        Map<String, ChannelReservation> read = new LinkedHashMap<>();
        reservations.forEachPage(listing, null, from, to, page -> {
            pageSizes.add(page.size());
            page.forEach(r -> read.put(r.reservationCode(), r));
        });
        return read;
    }

    @Test
    void theCalendarIsPushedAsOneRangePutPerRunOfEqualDays() throws Exception {
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*")).willReturn(okJson("{}")));
        JsonNode fixture = JSON.readTree(fixture("calendar-push.json"));
        List<CalendarDay> days = new ArrayList<>();
        fixture.path("days").forEach(d -> days.add(new CalendarDay(LocalDate.parse(d.path("date").asText()), d.path("available").asBoolean(),
                d.path("min_nights").isNull() ? null : d.path("min_nights").asInt(),
                d.path("daily_price").isNull() ? null : new BigDecimal(d.path("daily_price").asText()))));

        assertThat(calendar.pushCalendar(listing, days)).isEqualTo(200);

        JsonNode calls = fixture.path("calls");
        assertThat(CHANNELS.findAll(putRequestedFor(urlPathMatching("/airbnb/v2/calendars/.*")))).hasSize(calls.size());
        for (JsonNode call : calls) {
            CHANNELS.verify(1, putRequestedFor(urlEqualTo("/airbnb" + call.path("path").asText()))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withHeader("X-Airbnb-API-Key", equalTo("test-airbnb-api-key"))
                    .withHeader("X-Airbnb-OAuth-Token", equalTo(token))
                    .withRequestBody(equalToJson(call.path("body").toString())));
        }
    }

    @Test
    void theHostsReservationsAreReadPageByPageFollowingNextCursorCancelledOnesIncluded() throws Exception {
        stubReservationPages();
        List<Integer> pageSizes = new ArrayList<>();

        Map<String, ChannelReservation> read = readListing(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-12-31"), pageSizes);

        assertThat(pageSizes).as("three pages, each filtered to the listing and the window").containsExactly(3, 3, 2);
        assertThat(read).doesNotContainKeys("HMFIXOTHERLST", "HMFIXOUTSIDE");
        assertThat(read).containsKeys("HMFIXDENY", "HMFIXBYHOST", "HMFIXBYGUEST", "HMFIXBYADMIN");
        ChannelReservation first = read.get("HMFIXACCEPT");
        assertThat(first.listingId()).isEqualTo(listing);
        assertThat(first.checkIn()).isEqualTo("2027-02-01");
        assertThat(first.checkOut()).isEqualTo("2027-02-04");
        assertThat(first.guests()).isEqualTo(2);
        assertThat(first.total()).isEqualByComparingTo("360.00");
        assertThat(first.currency()).isEqualTo("EUR");
        assertThat(first.guestName()).isEqualTo("Ana Silva");
        CHANNELS.verify(3, getRequestedFor(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50")).withHeader("X-Airbnb-OAuth-Token", equalTo(token)));
        CHANNELS.verify(1, getRequestedFor(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("_cursor", equalTo("fixture-cursor-3")));
    }

    @Test
    void everyStatusTypeIsMappedAndAnUnknownOneIsKeptAsPendingNotThrown() throws Exception {
        stubReservationPages();

        Map<String, ChannelReservation> read = readListing(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-12-31"), new ArrayList<>());

        Map<String, String> statuses = new LinkedHashMap<>();
        read.forEach((code, r) -> statuses.put(code, r.status()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(
                "HMFIXACCEPT", "confirmed",
                "HMFIXPENDING", "pending",
                "HMFIXDENY", "cancelled",
                "HMFIXTIMEOUT", "cancelled",
                "HMFIXBYHOST", "cancelled",
                "HMFIXBYGUEST", "cancelled",
                "HMFIXBYADMIN", "cancelled",
                "HMFIXUNKNOWN", "pending"));
        assertThat(AirbnbStatus.TO_PMS).containsOnlyKeys("accept", "deny", "pending", "timeout",
                "cancelled_by_host", "cancelled_by_guest", "cancelled_by_admin");
    }

    @Test
    void everyAirbnbCallCarriesTheHostsOAuthTokenAndThePartnerKey() throws Exception {
        // the three calls we make: listing read (a mapping's ownership check), calendar push, reservations read
        String third = TestData.uniqueListingId();
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/listings/" + third))
                .willReturn(okJson(fixture("listing-of-host.json").replace(listing, third))));
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*")).willReturn(okJson("{}")));
        stubReservationPages();
        var mapped = api.post("/api/v1/channel-mappings", agency.apiKey(), """
                {"property_id": "%s", "connection_id": "%s", "listing_id": "%s"}"""
                .formatted(data.property(agency.id()), data.airbnbConnection(agency.id()), third));
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(201);
        calendar.pushCalendar(listing, List.of(new CalendarDay(LocalDate.parse("2027-03-01"), false, null, null)));
        readListing(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-12-31"), new ArrayList<>());

        List<LoggedRequest> calls = CHANNELS.findAll(anyRequestedFor(urlMatching("/airbnb/v2/.*")));
        assertThat(calls).hasSize(1 + 1 + 3);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.getHeader("X-Airbnb-OAuth-Token")).as(call.getUrl()).isEqualTo(token);
            assertThat(call.getHeader("X-Airbnb-API-Key")).as(call.getUrl()).isEqualTo("test-airbnb-api-key");
            assertThat(call.containsHeader("Authorization")).as(call.getUrl()).isFalse();
        });
    }

    @Test
    void aListingWhoseMappingHasNoConnectionIsNeverCalledWithoutAToken() {
        String legacy = TestData.uniqueListingId();
        UUID property = data.property(agency.id());
        jdbc.update("insert into channel_mappings (agency_id, property_id, platform, listing_id) values (?, ?, 'airbnb', ?)",
                agency.id(), property, legacy);

        assertThatThrownBy(() -> calendar.pushCalendar(legacy, List.of(new CalendarDay(LocalDate.parse("2027-03-01"), false, null, null))))
                .isInstanceOfSatisfying(ChannelCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("connection_id");
                });
        assertThat(CHANNELS.findAll(anyRequestedFor(urlMatching("/airbnb/.*")))).isEmpty();
    }
}
