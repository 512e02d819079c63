package io.channelsync.channel.bookingcom;

import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.MappedListing;
import org.junit.jupiter.api.Test;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.Diff;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OTA_HotelAvailNotifRQ and OTA_HotelRateAmountNotifRQ we send, against the fixtures written from
 * Booking.com's pages (see their comments).
 */
class BookingComAvailabilityConformanceTest {

    static final LocalDate MARCH_1 = LocalDate.of(2027, 3, 1);
    static final Instant NOW = Instant.parse("2027-02-01T08:00:00.123Z");

    static final BigDecimal PRICE = new BigDecimal("120.00");

    /** As the fixtures' comments say: units 3, 3, 2; arrival minimum 2, maximum 7; 2 March CTA; 3 March stop sell + CTD. */
    static final List<CalendarDay> DAYS = List.of(
            new CalendarDay(MARCH_1, 3, PRICE, "EUR", 2, null, 7, false, false, false),
            new CalendarDay(MARCH_1.plusDays(1), 3, PRICE, "EUR", 2, null, 7, true, false, false),
            new CalendarDay(MARCH_1.plusDays(2), 2, new BigDecimal("135.50"), "EUR", 2, null, 7, false, true, true));

    static Diff compare(String expected, String produced) {
        return DiffBuilder.compare(Input.fromString(expected)).withTest(Input.fromString(produced))
                .ignoreComments().ignoreWhitespace().checkForIdentical()
                .withAttributeFilter(attribute -> !"TimeStamp".equals(attribute.getName()))
                .build();
    }

    @Test
    void aMappingWithARatePlanSendsUnitsLeftAtRoomLevelAndStayRulesAndRestrictionsAtRateLevel() throws IOException {
        String expected = new String(OtaConformanceTest.fixture("avail-notif-room-and-rate.xml"), StandardCharsets.UTF_8);
        String produced = BookingComAvailabilityClient.request(new MappedListing("8801234", "880123401", "5012001"), DAYS, "Test", NOW).xml();

        Diff diff = compare(expected, produced);
        assertThat(diff.hasDifferences()).as(diff.fullDescription()).isFalse();
        // TimeStamp: now, to the second, without offset like the sample
        assertThat(produced).contains("TimeStamp=\"2027-02-01T08:00:00\"");
    }

    @Test
    void pricesAreOneRateAmountMessagePerRunOfEqualPricesAsTheDocumentedStructure() throws IOException {
        String expected = new String(OtaConformanceTest.fixture("rate-amount-notif.xml"), StandardCharsets.UTF_8);
        String produced = BookingComRateClient.request(new MappedListing("8801234", "880123401", "5012001"), DAYS, "Test", NOW).xml();

        Diff diff = compare(expected, produced);
        assertThat(diff.hasDifferences()).as(diff.fullDescription()).isFalse();
    }

    @Test
    void aMappingWithoutARatePlanSendsTheUnitsOnlyWithAStopSoldNightAsNoUnits() {
        String produced = BookingComAvailabilityClient.request(new MappedListing("8801234", "880123401", null),
                List.of(new CalendarDay(MARCH_1, true, 3, null), new CalendarDay(MARCH_1.plusDays(1), true, 5, null),
                        new CalendarDay(MARCH_1.plusDays(2), 4, null, null, 5, null, null, false, false, true)), "Production", NOW).xml();

        String expected = """
                <OTA_HotelAvailNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opentravel.org/OTA/2003/05 OTA_HotelAvailNotifRQ.xsd" TimeStamp="x" Target="Production" Version="1.005">
                  <AvailStatusMessages>
                    <AvailStatusMessage BookingLimit="1" LocatorID="1">
                      <StatusApplicationControl Start="2027-03-01" End="2027-03-02" InvTypeCode="880123401"/>
                    </AvailStatusMessage>
                    <AvailStatusMessage BookingLimit="0" LocatorID="2">
                      <StatusApplicationControl Start="2027-03-03" End="2027-03-03" InvTypeCode="880123401"/>
                    </AvailStatusMessage>
                  </AvailStatusMessages>
                </OTA_HotelAvailNotifRQ>""";
        Diff diff = compare(expected, produced);
        assertThat(diff.hasDifferences()).as(diff.fullDescription()).isFalse();
    }

    @Test
    void aTargetOtherThanProductionOrTestIsRefusedRatherThanSent() {
        assertThatThrownBy(() -> BookingComAvailabilityClient.request(
                        new MappedListing("8801234", "880123401", null), DAYS, "Staging", NOW))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Production or Test");
    }
}
