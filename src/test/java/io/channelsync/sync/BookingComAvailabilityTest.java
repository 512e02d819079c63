package io.channelsync.sync;

import io.channelsync.channel.bookingcom.BookingComTokenProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingXPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

class BookingComAvailabilityTest extends SyncTestSupport {

    @Autowired
    BookingComTokenProvider tokens;

    static final String NOTIF = "/booking/hotels/ota/OTA_HotelAvailNotif";
    static final String RATES = ".*/hotels/ota/OTA_HotelRateAmountNotif";
    static final String TOKEN = "/booking/token-based-authentication/exchange";

    @Test
    void availabilityIsPushedAsOtaHotelAvailNotifWithFoldedRangesAndARenewedTokenAfterA401() throws Exception {
        Fixture f = bookingFixture();
        String ratePlan = ratePlan(f);
        CHANNELS.stubFor(post(urlEqualTo(TOKEN)).inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"jwt\": \"old-jwt\"}")).willSetStateTo("second"));
        CHANNELS.stubFor(post(urlEqualTo(TOKEN)).inScenario("token").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withBody("{\"jwt\": \"new-jwt\"}")));
        CHANNELS.stubFor(post(urlEqualTo(NOTIF)).withHeader("Authorization", equalTo("Bearer old-jwt"))
                .willReturn(aResponse().withStatus(401)));
        CHANNELS.stubFor(post(urlEqualTo(NOTIF)).withHeader("Authorization", equalTo("Bearer new-jwt"))
                .willReturn(aResponse().withStatus(200).withBody("<OTA_HotelAvailNotifRS><Success/></OTA_HotelAvailNotifRS>")));
        CHANNELS.stubFor(post(urlPathMatching(RATES)).willReturn(aResponse().withStatus(200).withBody("<OTA_HotelRateAmountNotifRS><Success/></OTA_HotelRateAmountNotifRS>")));
        // whatever token an earlier test left cached: make it the stale one
        tokens.invalidate();

        long job = trigger(f);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));

        String ns = "/*[local-name()='OTA_HotelAvailNotifRQ']/*[local-name()='AvailStatusMessages']";
        CHANNELS.verify(postRequestedFor(urlEqualTo(NOTIF))
                .withHeader("Authorization", equalTo("Bearer new-jwt"))
                .withHeader("Accept-Version", equalTo("1.1"))
                .withHeader("Content-Type", containing("xml"))
                .withRequestBody(matchingXPath("/*[local-name()='OTA_HotelAvailNotifRQ'][@Version='1.005'][@Target='Test']"))
                // units: DAY1 and DAY1+1 open fold into one room-level range, DAY1+2 closed is another; the stay rules
                // are equal on all three nights: one room-rate range of three messages (stay + open, arrival, departure)
                .withRequestBody(matchingXPath("count(" + ns + "/*[local-name()='AvailStatusMessage'])", equalTo("5")))
                .withRequestBody(matchingXPath(ns + "/*[local-name()='AvailStatusMessage'][@BookingLimit='1']/*[local-name()='StatusApplicationControl']"
                        + "[@Start='" + DAY1 + "'][@End='" + DAY1.plusDays(1) + "'][@InvTypeCode='" + f.room() + "'][not(@RatePlanCode)]"))
                .withRequestBody(matchingXPath(ns + "/*[local-name()='AvailStatusMessage'][@BookingLimit='0']/*[local-name()='StatusApplicationControl']"
                        + "[@Start='" + DAY1.plusDays(2) + "'][@End='" + DAY1.plusDays(2) + "']"))
                .withRequestBody(matchingXPath(ns + "/*[local-name()='AvailStatusMessage'][not(@BookingLimit)]"
                        + "[*[local-name()='StatusApplicationControl'][@Start='" + DAY1 + "'][@InvTypeCode='" + f.room() + "'][@RatePlanCode='" + ratePlan + "']]"
                        + "/*[local-name()='LengthsOfStay']/*[local-name()='LengthOfStay'][@MinMaxMessageType='SetForwardMinStay'][@Time='2']")));
        // the three nights' price (120.00) as one rate amount message for the mapping's room and rate
        String rate = "/*[local-name()='OTA_HotelRateAmountNotifRQ']/*[local-name()='RateAmountMessages'][@HotelCode='" + f.listing() + "']"
                + "/*[local-name()='RateAmountMessage']";
        CHANNELS.verify(1, postRequestedFor(urlPathMatching(RATES))
                .withHeader("Accept-Version", equalTo("1.1"))
                .withRequestBody(matchingXPath(rate + "/*[local-name()='StatusApplicationControl'][@Start='" + DAY1 + "'][@End='"
                        + DAY1.plusDays(2) + "'][@InvTypeCode='" + f.room() + "'][@RatePlanCode='" + ratePlan + "']"))
                .withRequestBody(matchingXPath(rate + "//*[local-name()='BaseByGuestAmt'][@AmountAfterTax='120.00']")));
        // the 401 made one call with the stale token and one with the renewed token: one attempt, no retry
        assertThat(outcomes(job)).containsExactly("succeeded");
    }

    @Test
    void aMappingWithoutARatePlanSendsTheRoomUnitsButNoStayRulesAndNoPrices() throws Exception {
        Fixture f = bookingFixture();
        CHANNELS.stubFor(post(urlEqualTo(TOKEN)).willReturn(aResponse().withStatus(200).withBody("{\"jwt\": \"jwt\"}")));
        CHANNELS.stubFor(post(urlEqualTo(NOTIF)).willReturn(aResponse().withStatus(200)));

        long job = trigger(f);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));

        String msg = "/*[local-name()='OTA_HotelAvailNotifRQ']/*[local-name()='AvailStatusMessages']/*[local-name()='AvailStatusMessage']";
        String room = "[@InvTypeCode='" + f.room() + "']";
        CHANNELS.verify(postRequestedFor(urlEqualTo(NOTIF))
                .withRequestBody(matchingXPath(msg + "/*[local-name()='StatusApplicationControl']" + room))
                .withRequestBody(matchingXPath("count(" + msg + ")", equalTo("2")))
                .withRequestBody(matchingXPath("count(" + msg + "[not(@BookingLimit)])", equalTo("0")))
                .withRequestBody(matchingXPath("count(//*[local-name()='LengthsOfStay'])", equalTo("0")))
                .withRequestBody(matchingXPath("count(//*[@RatePlanCode])", equalTo("0"))));
        CHANNELS.verify(0, postRequestedFor(urlPathMatching(RATES)));
    }

    @Test
    void aBookedNightIsClosedOnTheOtherChannel() throws Exception {
        Fixture f = bookingFixture();
        jdbc.update("""
                insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status)
                values (?, ?, 'airbnb', ?, ?, ?, 'confirmed')""", f.agency().id(), f.property(), "HM" + System.nanoTime(), DAY1, DAY1.plusDays(1));
        CHANNELS.stubFor(post(urlEqualTo(TOKEN)).willReturn(aResponse().withStatus(200).withBody("{\"jwt\": \"jwt\"}")));
        CHANNELS.stubFor(post(urlEqualTo(NOTIF)).willReturn(aResponse().withStatus(200)));

        long job = trigger(f);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));

        String msg = "/*[local-name()='OTA_HotelAvailNotifRQ']/*[local-name()='AvailStatusMessages']/*[local-name()='AvailStatusMessage']";
        CHANNELS.verify(postRequestedFor(urlEqualTo(NOTIF))
                .withRequestBody(matchingXPath("count(" + msg + ")", equalTo("3")))
                .withRequestBody(matchingXPath(msg + "[@BookingLimit='0']/*[local-name()='StatusApplicationControl'][@Start='" + DAY1 + "'][@End='" + DAY1 + "']")));
    }
}
