package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: units, prices and stay rules from the PMS to both channels: each validation rule, units left
 * after bookings, the delta store (a second identical PUT sends nothing), monthly batches, full sync, and
 * Booking.com warnings logged with their days and field.
 */
@ExtendWith(OutputCaptureExtension.class)
class RatesAndRestrictionsTest extends SyncTestSupport {

    static final String AVAIL = ".*/hotels/ota/OTA_HotelAvailNotif";
    static final String RATES = ".*/hotels/ota/OTA_HotelRateAmountNotif";
    static final String TOKEN = ".*/token-based-authentication/exchange";

    /** A property in EUR mapped to an Airbnb listing and a Booking.com room with a rate plan; both channels answer 200. */
    record Mapped(TestData.Agency agency, UUID property, String listing, String room, String ratePlan) {
        String path() {
            return "/api/v1/properties/" + property + "/availability";
        }
    }

    Mapped mapped(String currency) {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        jdbc.update("update properties set currency = ? where id = ?", currency, property);
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        String room = Long.toString(System.nanoTime() % 1_000_000_000);
        UUID booking = data.bookingComMapping(agency.id(), property, TestData.uniqueListingId(), room);
        String ratePlan = Long.toString(System.nanoTime() % 10_000_000);
        jdbc.update("update channel_mappings set rate_plan_id = ? where id = ?", ratePlan, booking);
        CHANNELS.stubFor(post(urlPathMatching(TOKEN)).willReturn(aResponse().withStatus(200).withBody("{\"jwt\": \"jwt\"}")));
        CHANNELS.stubFor(post(urlPathMatching(AVAIL)).willReturn(aResponse().withStatus(200).withBody("<OTA_HotelAvailNotifRS><Success/></OTA_HotelAvailNotifRS>")));
        CHANNELS.stubFor(post(urlPathMatching(RATES)).willReturn(aResponse().withStatus(200).withBody("<OTA_HotelRateAmountNotifRS><Success/></OTA_HotelRateAmountNotifRS>")));
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/" + listing + "/.*")).willReturn(aResponse().withStatus(200)));
        return new Mapped(agency, property, listing, room, ratePlan);
    }

    /** PUTs the days and waits for every sync job it created to succeed. */
    void putAndSync(Mapped m, String days) throws Exception {
        var response = api.put(m.path(), m.agency().apiKey(), days);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode job : JSON.readTree(response.body()).path("sync_job_ids")) {
            awaitStatus(job.asLong(), "succeeded", Duration.ofSeconds(15));
        }
    }

    List<LoggedRequest> bookingCom(String pattern, Mapped m) {
        return CHANNELS.findAll(postRequestedFor(urlPathMatching(pattern)).withRequestBody(containing("InvTypeCode=\"" + m.room() + "\"")));
    }

    List<LoggedRequest> airbnb(Mapped m) {
        return CHANNELS.findAll(putRequestedFor(urlPathMatching("/airbnb/v2/calendars/" + m.listing() + "/.*")));
    }

    static String day(LocalDate date, String fields) {
        return "{\"date\": \"" + date + "\", " + fields + "}";
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "\"units\": -1                                      | days[0].units               | min",
            "\"units\": 1.5                                     | days[0].units               | type",
            "\"price\": 10                                      | days[0].units               | required",
            "\"units\": 0, \"available\": true                   | days[0].available           | conflicts_with_units",
            "\"units\": 1, \"price\": -1                          | days[0].price               | min",
            "\"units\": 1, \"price\": 10.005                      | days[0].price               | decimal_places",
            "\"units\": 1, \"price\": 10000000000                 | days[0].price               | max",
            "\"units\": 1, \"min_stay_arrival\": 0                | days[0].min_stay_arrival    | min",
            "\"units\": 1, \"min_stay_through\": 0                | days[0].min_stay_through    | min",
            "\"units\": 1, \"max_stay\": 0                        | days[0].max_stay            | min",
            "\"units\": 1, \"max_stay\": 1000                     | days[0].max_stay            | max",
            "\"units\": 1, \"min_stay_arrival\": 3, \"max_stay\": 2 | days[0].max_stay            | below_min_stay",
            "\"units\": 1, \"min_stay_through\": 4, \"max_stay\": 3 | days[0].max_stay            | below_min_stay",
            "\"units\": 1, \"min_stay\": 2, \"min_stay_arrival\": 2 | days[0].min_stay            | conflicts_with_min_stay_arrival",
            "\"units\": 1, \"closed_to_arrival\": \"maybe\"        | days[0].closed_to_arrival   | type",
            "\"units\": 1, \"stop_sell\": []                      | days[0].stop_sell           | type",
            "\"units\": 1, \"rate\": 10                           | rate                        | unknown_field",
    })
    void eachRuleIsRefusedWithItsFieldAndRule(String fields, String field, String rule) throws Exception {
        Mapped m = mapped("EUR");
        var response = api.put(m.path(), m.agency().apiKey(), "[" + day(DAY1, fields) + "]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(body.path("rule").asText()).as(response.body()).isEqualTo(rule);
        assertThat(jdbc.queryForObject("select count(*) from availability where property_id = ?", Integer.class, m.property())).isZero();
    }

    @Test
    void pricesNeedTheCurrencyOfThePropertyAndABookingComRatePlan() throws Exception {
        Mapped m = mapped("EUR");
        jdbc.update("update properties set currency = null where id = ?", m.property());
        String priced = "[" + day(DAY1, "\"units\": 1, \"price\": 100") + "]";
        assertRefused(api.put(m.path(), m.agency().apiKey(), priced), "days[0].price", "currency_required");

        String property = "/api/v1/properties/" + m.property();
        assertRefused(api.patch(property, m.agency().apiKey(), "{\"currency\": \"eur\"}"), "currency", "iso_4217");
        assertRefused(api.patch(property, m.agency().apiKey(), "{\"currency\": \"EUX\"}"), "currency", "iso_4217");
        var patched = api.patch(property, m.agency().apiKey(), "{\"currency\": \"JPY\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).path("currency").asText()).isEqualTo("JPY");
        // a yen has no minor unit
        assertRefused(api.put(m.path(), m.agency().apiKey(), "[" + day(DAY1, "\"units\": 1, \"price\": 100.5") + "]"),
                "days[0].price", "decimal_places");

        // the Booking.com mapping loses its rate plan: prices are refused, not dropped
        UUID mapping = jdbc.queryForObject("select id from channel_mappings where property_id = ? and platform = 'booking_com'", UUID.class, m.property());
        jdbc.update("update channel_mappings set rate_plan_id = null where id = ?", mapping);
        assertRefused(api.put(m.path(), m.agency().apiKey(), priced), "price", "rate_plan_required");
        // units and restrictions alone still go
        assertThat(api.put(m.path(), m.agency().apiKey(), "[" + day(DAY1, "\"units\": 1, \"closed_to_arrival\": true") + "]").statusCode()).isEqualTo(200);

        // and a priced property takes no Booking.com mapping without one
        jdbc.update("update channel_mappings set rate_plan_id = ? where id = ?", m.ratePlan(), mapping);
        putAndSync(m, priced);
        assertRefused(api.patch("/api/v1/channel-mappings/" + mapping, m.agency().apiKey(), "{\"rate_plan_id\": null}"),
                "rate_plan_id", "required_for_prices");
    }

    private static void assertRefused(java.net.http.HttpResponse<String> response, String field, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("field").asText() + " " + body.path("rule").asText()).as(response.body()).isEqualTo(field + " " + rule);
    }

    @Test
    void everyFieldReachesBothChannelsAndASecondIdenticalPutSendsNothing() throws Exception {
        Mapped m = mapped("EUR");
        String days = "[" + day(DAY1, "\"units\": 2, \"price\": 150.00, \"min_stay_arrival\": 2, \"max_stay\": 10, \"closed_to_arrival\": true")
                + "," + day(DAY1.plusDays(1), "\"units\": 2, \"price\": 150.00, \"min_stay_through\": 3, \"closed_to_departure\": true, \"stop_sell\": true")
                + "]";
        putAndSync(m, days);

        assertThat(jdbc.queryForMap("select units, available, price, min_stay, max_stay, closed_to_arrival from availability where property_id = ? and day = ?",
                m.property(), DAY1)).containsEntry("units", 2).containsEntry("available", true).containsEntry("min_stay", 2)
                .containsEntry("max_stay", 10).containsEntry("closed_to_arrival", true);
        List<LoggedRequest> avail = bookingCom(AVAIL, m);
        assertThat(avail).hasSize(1);
        String xml = avail.get(0).getBodyAsString();
        assertThat(xml).contains("BookingLimit=\"2\"").contains("MinMaxMessageType=\"SetForwardMinStay\"")
                .contains("<LengthOfStay Time=\"10\" MinMaxMessageType=\"SetMaxLOS\"/>")
                .contains("<LengthOfStay Time=\"3\" MinMaxMessageType=\"SetMinLOS\"/>")
                .contains("<RestrictionStatus Restriction=\"Arrival\" Status=\"Close\"/>")
                .contains("<RestrictionStatus Restriction=\"Departure\" Status=\"Close\"/>")
                .contains("<RestrictionStatus Status=\"Close\"/>").contains("RatePlanCode=\"" + m.ratePlan() + "\"");
        List<LoggedRequest> rates = bookingCom(RATES, m);
        assertThat(rates).hasSize(1);
        assertThat(rates.get(0).getBodyAsString()).contains("AmountAfterTax=\"150.00\" CurrencyCode=\"EUR\"")
                .contains("Start=\"" + DAY1 + "\" End=\"" + DAY1.plusDays(1) + "\"");
        List<LoggedRequest> calendar = airbnb(m);
        assertThat(calendar).extracting(r -> r.getUrl().replaceAll(".*/v2/calendars/\\d+/", "") + " " + r.getBodyAsString()).containsExactlyInAnyOrder(
                DAY1 + "/" + DAY1 + " {\"availability\":\"available\",\"daily_price\":150.00,\"min_nights\":2,\"max_nights\":10}",
                DAY1.plusDays(1) + "/" + DAY1.plusDays(1) + " {\"availability\":\"unavailable\",\"daily_price\":150.00}");

        // the same days again: every job succeeds and nothing reaches either channel
        putAndSync(m, days);
        assertThat(bookingCom(AVAIL, m)).hasSize(1);
        assertThat(bookingCom(RATES, m)).hasSize(1);
        assertThat(airbnb(m)).hasSize(2);

        // one night's price changes: only that night is sent
        putAndSync(m, "[" + day(DAY1, "\"units\": 2, \"price\": 175.00, \"min_stay_arrival\": 2, \"max_stay\": 10, \"closed_to_arrival\": true") + "]");
        assertThat(bookingCom(RATES, m)).hasSize(2);
        assertThat(bookingCom(RATES, m).get(1).getBodyAsString()).contains("Start=\"" + DAY1 + "\" End=\"" + DAY1 + "\"")
                .contains("AmountAfterTax=\"175.00\"").doesNotContain(DAY1.plusDays(1).toString());
        assertThat(airbnb(m)).hasSize(3);

        // a full sync sends every night again, a plain one nothing
        var trigger = api.post("/api/v1/sync/availability", m.agency().apiKey(),
                "{\"property_id\": \"" + m.property() + "\", \"from\": \"" + DAY1 + "\", \"to\": \"" + DAY1.plusDays(5) + "\", \"full\": true}");
        assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(202);
        for (JsonNode job : JSON.readTree(trigger.body()).path("job_ids")) {
            awaitStatus(job.asLong(), "succeeded", Duration.ofSeconds(15));
        }
        assertThat(bookingCom(AVAIL, m)).hasSize(3);
        assertThat(bookingCom(AVAIL, m).get(2).getBodyAsString()).contains(DAY1.toString()).contains(DAY1.plusDays(1).toString());
        assertThat(airbnb(m)).hasSize(5);
    }

    @Test
    void twoBookingsOnAThreeUnitRoomSendBookingLimitOneAndACancellationGivesItsUnitBack() throws Exception {
        Mapped m = mapped("EUR");
        putAndSync(m, "[" + day(DAY1, "\"units\": 3") + "]");
        assertThat(bookingCom(AVAIL, m).get(0).getBodyAsString()).contains("BookingLimit=\"3\"");

        UUID agency = m.agency().id();
        for (String code : List.of("A", "B")) {
            jdbc.update("""
                    insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status)
                    values (?, ?, 'direct', ?, ?, ?, 'confirmed')""", agency, m.property(), code + UUID.randomUUID(), DAY1, DAY1.plusDays(1));
        }
        syncBookingCom(m);
        List<LoggedRequest> avail = bookingCom(AVAIL, m);
        assertThat(avail).hasSize(2);
        assertThat(avail.get(1).getBodyAsString()).contains("BookingLimit=\"1\"").doesNotContain("BookingLimit=\"3\"");

        jdbc.update("update bookings set status = 'cancelled' where property_id = ? and reservation_code like 'A%'", m.property());
        syncBookingCom(m);
        assertThat(bookingCom(AVAIL, m)).hasSize(3);
        assertThat(bookingCom(AVAIL, m).get(2).getBodyAsString()).contains("BookingLimit=\"2\"");
    }

    private void syncBookingCom(Mapped m) throws Exception {
        var trigger = api.post("/api/v1/sync/availability", m.agency().apiKey(),
                "{\"property_id\": \"" + m.property() + "\", \"platforms\": [\"booking_com\"], \"from\": \"" + DAY1 + "\", \"to\": \"" + DAY1 + "\"}");
        assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(202);
        awaitStatus(JSON.readTree(trigger.body()).path("job_ids").get(0).asLong(), "succeeded", Duration.ofSeconds(15));
    }

    @Test
    void seventyNightsOverThreeMonthsAreOneBookingComRequestPerTwoMonthsAndMessageType() throws Exception {
        Mapped m = mapped("EUR");
        LocalDate first = DAY1.withDayOfMonth(1).plusMonths(1);
        StringBuilder days = new StringBuilder("[");
        for (int i = 0; i < 70; i++) {
            days.append(i == 0 ? "" : ",").append(day(first.plusDays(i), "\"units\": 1, \"price\": " + (100 + i)));
        }
        putAndSync(m, days.append("]").toString());
        // two months a push (two message types): the first two months, then the third
        assertThat(bookingCom(AVAIL, m)).hasSize(2);
        assertThat(bookingCom(RATES, m)).hasSize(2);
        assertThat(bookingCom(AVAIL, m).get(1).getBodyAsString()).contains("Start=\"" + first.plusMonths(2) + "\"");
        // Airbnb takes one range per run of equal nights: a price a night is a call a night
        assertThat(airbnb(m)).hasSize(70);
    }

    @Test
    void bookingComWarningsAreLoggedWithTheirDaysAndField(CapturedOutput output) throws Exception {
        Mapped m = mapped("EUR");
        CHANNELS.stubFor(post(urlPathMatching(AVAIL)).withRequestBody(containing("InvTypeCode=\"" + m.room() + "\""))
                .willReturn(aResponse().withStatus(200).withBody("""
                        <OTA_HotelAvailNotifRS xmlns="http://www.opentravel.org/OTA/2003/05"><Success/>
                          <Warnings><Warning Type="3" Code="999" RecordID="1">minimum stay above the maximum</Warning></Warnings>
                        </OTA_HotelAvailNotifRS>""")));
        putAndSync(m, "[" + day(DAY1, "\"units\": 1") + "]");
        assertThat(output.getOut()).contains("Booking.com warning on days " + DAY1 + ".." + DAY1 + ", field BookingLimit (code 999): minimum stay above the maximum");
    }
}
