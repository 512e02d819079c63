package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelReservation;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The OTA reader and acknowledgement writer on the fixtures written from Booking.com's reference pages. */
class OtaConformanceTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = OtaConformanceTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static OtaReservations.Reservation only(OtaReservations.Kind kind, String name) throws IOException {
        List<OtaReservations.Reservation> all = OtaReservations.read(kind, fixture(name));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void newReservationIsReadFromResGlobalInfoRoomRatesAndTotals() throws IOException {
        OtaReservations.Reservation r = only(OtaReservations.Kind.NEW, "new-reservation.xml");
        assertThat(r.reservationId()).isEqualTo("4100200301");
        assertThat(r.createdAt()).isEqualTo("2026-11-27T09:14:40");
        assertThat(r.versionTime()).isEqualTo(Instant.parse("2026-11-27T09:14:40Z"));
        assertThat(r.eventId()).isEqualTo("4100200301@2026-11-27T09:14:40");
        assertThat(r.hotelId()).isEqualTo("770011");
        assertThat(r.status()).isEqualTo("confirmed");
        assertThat(r.currency()).isEqualTo("EUR");
        assertThat(r.total()).isEqualByComparingTo("370.50");
        List<ChannelReservation> bookings = r.bookings();
        assertThat(bookings).hasSize(1);
        ChannelReservation b = bookings.get(0);
        assertThat(b.reservationCode()).isEqualTo("4100200301");
        assertThat(b.listingId()).isEqualTo("770011");
        assertThat(b.roomId()).isEqualTo("7700101");
        assertThat(b.checkIn()).isEqualTo(LocalDate.parse("2026-12-10"));
        assertThat(b.checkOut()).isEqualTo(LocalDate.parse("2026-12-13"));
        assertThat(b.guests()).isEqualTo(2);
        assertThat(b.total()).isEqualByComparingTo("370.50");
        assertThat(b.guestName()).isEqualTo("Marta Okafor");
        assertThat(b.problem()).isNull();
    }

    @Test
    void storedFragmentKeepsTheReservationButNotThePaymentCard() throws IOException {
        String fragment = new String(only(OtaReservations.Kind.NEW, "new-reservation.xml").fragment(), StandardCharsets.UTF_8);
        assertThat(fragment).contains("ResID_Value=\"4100200301\"").contains("EffectiveDate=\"2026-12-12\"");
        assertThat(fragment).doesNotContain("4111000011110000").doesNotContain("Guarantee");
    }

    @Test
    void everyMessageOfOneGetIsReadInOrderWithItsOwnCardFreeFragment() throws IOException {
        // one answer holding the fixture's reservation three times over, with three ids: removing the first message's
        // Guarantee from its fragment must not lose, repeat or reorder the messages after it
        String one = new String(fixture("new-reservation.xml"), StandardCharsets.UTF_8);
        int start = one.indexOf("<HotelReservation>"), end = one.lastIndexOf("</HotelReservation>") + "</HotelReservation>".length();
        String message = one.substring(start, end);
        StringBuilder answer = new StringBuilder(one.substring(0, start));
        for (String id : List.of("4100200401", "4100200402", "4100200403")) {
            answer.append(message.replace("4100200301", id));
        }
        answer.append(one.substring(end));

        List<OtaReservations.Reservation> read = OtaReservations.read(OtaReservations.Kind.NEW, answer.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(read).extracting(OtaReservations.Reservation::reservationId).containsExactly("4100200401", "4100200402", "4100200403");
        for (OtaReservations.Reservation r : read) {
            String fragment = new String(r.fragment(), StandardCharsets.UTF_8);
            assertThat(fragment).contains("ResID_Value=\"" + r.reservationId() + "\"").doesNotContain("Guarantee").doesNotContain("4111000011110000");
        }
    }

    @Test
    void modificationIsVersionedByItsModificationTime() throws IOException {
        OtaReservations.Reservation r = only(OtaReservations.Kind.MODIFIED, "modified-reservation.xml");
        assertThat(r.reservationId()).isEqualTo("4100200301");
        assertThat(r.versionTime()).isEqualTo(Instant.parse("2026-11-28T16:01:50Z"));
        assertThat(r.eventId()).isEqualTo("4100200301@2026-11-28T16:01:50/modify");
        ChannelReservation b = r.bookings().get(0);
        assertThat(b.status()).isEqualTo("confirmed");
        assertThat(b.checkOut()).isEqualTo(LocalDate.parse("2026-12-14"));
        assertThat(b.guests()).isEqualTo(3);
        assertThat(b.total()).isEqualByComparingTo("501.00");
        assertThat(r.versionTime()).isAfter(only(OtaReservations.Kind.NEW, "new-reservation.xml").versionTime());
    }

    @Test
    void cancellationFromHotelResModifyIsCancelled() throws IOException {
        OtaReservations.Reservation r = only(OtaReservations.Kind.MODIFIED, "cancelled-reservation.xml");
        assertThat(r.status()).isEqualTo("cancelled");
        ChannelReservation b = r.bookings().get(0);
        assertThat(b.reservationCode()).isEqualTo("4100200301");
        assertThat(b.active()).isFalse();
        assertThat(b.checkIn()).isEqualTo(LocalDate.parse("2026-12-10"));
        assertThat(b.eventTime()).isEqualTo(Instant.parse("2026-11-29T08:29:41Z"));
    }

    @Test
    void multiRoomReservationBecomesOneBookingPerRoomWithItsOwnNightsAndGuests() throws IOException {
        OtaReservations.Reservation r = only(OtaReservations.Kind.NEW, "multi-room-reservation.xml");
        assertThat(r.total()).isEqualByComparingTo("405.75");
        List<ChannelReservation> bookings = r.bookings();
        assertThat(bookings).extracting(ChannelReservation::reservationCode).containsExactly("4100200377-611", "4100200377-612");
        assertThat(bookings).extracting(ChannelReservation::roomId).containsExactly("7700101", "7700102");
        assertThat(bookings).extracting(ChannelReservation::checkOut)
                .containsExactly(LocalDate.parse("2027-01-07"), LocalDate.parse("2027-01-08"));
        assertThat(bookings).extracting(ChannelReservation::guests).containsExactly(2, 1);
        assertThat(bookings).extracting(ChannelReservation::total)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("180.00"), new BigDecimal("225.75"));
        assertThat(bookings).extracting(ChannelReservation::currency).containsOnly("GBP");
    }

    @Test
    void amountBeforeTaxIsUsedWhenNoAfterTaxAndDecimalPlacesApply() throws IOException {
        OtaReservations.Reservation r = only(OtaReservations.Kind.NEW, "before-tax-reservation.xml");
        ChannelReservation b = r.bookings().get(0);
        assertThat(b.total()).isEqualByComparingTo("90.500");
        assertThat(b.currency()).isEqualTo("KWD");
        assertThat(b.guests()).isEqualTo(2);
        assertThat(b.checkIn()).isEqualTo(LocalDate.parse("2027-02-01"));
        assertThat(b.checkOut()).isEqualTo(LocalDate.parse("2027-02-03"));
    }

    @Test
    void newAndModifiedMessagesAreNotReadFromTheOtherEndpointsElement() throws IOException {
        assertThat(OtaReservations.read(OtaReservations.Kind.MODIFIED, fixture("new-reservation.xml"))).isEmpty();
        assertThat(OtaReservations.read(OtaReservations.Kind.NEW, fixture("cancelled-reservation.xml"))).isEmpty();
        assertThat(OtaReservations.read(OtaReservations.Kind.NEW, new byte[0])).isEmpty();
    }

    @Test
    void successAcknowledgementCarriesTimeStampTargetVersionSuccessAndTheReservationId() throws Exception {
        String xml = OtaAcknowledgements.write(OtaReservations.Kind.NEW, List.of(new OtaAcknowledgements.Message("4100200301", "2026-11-27T09:14:40")), null,
                "Production", Instant.parse("2026-11-27T09:15:04.123Z"));
        Element root = parse(xml);
        assertThat(root.getLocalName()).isEqualTo("OTA_HotelResNotifRS");
        assertThat(root.getAttribute("TimeStamp")).isEqualTo("2026-11-27T09:15:04+00:00");
        assertThat(root.getAttribute("Target")).isEqualTo("Production");
        assertThat(root.getAttribute("Version")).isEqualTo("2.001");
        assertThat(root.getElementsByTagNameNS("*", "Success").getLength()).isEqualTo(1);
        assertThat(root.getElementsByTagNameNS("*", "Errors").getLength()).isZero();
        Element id = (Element) root.getElementsByTagNameNS("*", "HotelReservationID").item(0);
        assertThat(id.getAttribute("ResID_Value")).isEqualTo("4100200301");
        assertThat(((Element) id.getParentNode().getParentNode().getParentNode()).getLocalName()).isEqualTo("HotelReservation");
    }

    @Test
    void oneSuccessAcknowledgementNamesSeveralMessagesWithTheHotelReservationIdTagRepeated() throws Exception {
        String xml = OtaAcknowledgements.write(OtaReservations.Kind.NEW, List.of(
                new OtaAcknowledgements.Message("4100200301", "2026-11-27T09:14:40"), new OtaAcknowledgements.Message("4100200302", null)),
                null, "Production", Instant.parse("2026-11-27T09:15:04Z"));
        Element root = parse(xml);
        assertThat(root.getElementsByTagNameNS("*", "Success").getLength()).isEqualTo(1);
        assertThat(root.getElementsByTagNameNS("*", "HotelReservation").getLength()).isEqualTo(1);
        NodeList ids = root.getElementsByTagNameNS("*", "HotelReservationID");
        assertThat(ids.getLength()).isEqualTo(2);
        assertThat(((Element) ids.item(0)).getAttribute("ResID_Value")).isEqualTo("4100200301");
        assertThat(((Element) ids.item(0)).getAttribute("ResID_Date")).isEqualTo("2026-11-27T09:14:40");
        assertThat(((Element) ids.item(1)).getAttribute("ResID_Value")).isEqualTo("4100200302");
        assertThat(((Element) ids.item(1)).hasAttribute("ResID_Date")).isFalse();
        assertThat(ids.item(0).getParentNode()).isSameAs(ids.item(1).getParentNode()); // one HotelReservationIDs holds both
    }

    @Test
    void errorAcknowledgementKeepsTheReservationIdSoBookingComKeepsItQueued() throws Exception {
        String xml = OtaAcknowledgements.write(OtaReservations.Kind.MODIFIED, List.of(new OtaAcknowledgements.Message("4100200301", null)), "no mapping for \"room\" <7700101>",
                "Test", Instant.parse("2026-11-28T16:02:30Z"));
        Element root = parse(xml);
        assertThat(root.getLocalName()).isEqualTo("OTA_HotelResModifyNotifRS");
        assertThat(root.getElementsByTagNameNS("*", "Success").getLength()).isZero();
        Element error = (Element) root.getElementsByTagNameNS("*", "Error").item(0);
        assertThat(error.getAttribute("ShortText")).isEqualTo("no mapping for \"room\" <7700101>");
        assertThat(root.getElementsByTagNameNS("*", "HotelResModify").getLength()).isEqualTo(1);
        assertThat(((Element) root.getElementsByTagNameNS("*", "HotelReservationID").item(0)).getAttribute("ResID_Value"))
                .isEqualTo("4100200301");
    }

    @Test
    void acknowledgementOfEveryFixtureNamesItsReservation() throws Exception {
        for (String name : List.of("new-reservation.xml", "multi-room-reservation.xml", "before-tax-reservation.xml")) {
            OtaReservations.Reservation r = only(OtaReservations.Kind.NEW, name);
            Element root = parse(OtaAcknowledgements.write(r.kind(), List.of(new OtaAcknowledgements.Message(r.reservationId(), r.createdAt())), null, "Test", Instant.now()));
            assertThat(((Element) root.getElementsByTagNameNS("*", "HotelReservationID").item(0)).getAttribute("ResID_Value"))
                    .as(name).isEqualTo(r.reservationId());
        }
        for (String name : List.of("modified-reservation.xml", "cancelled-reservation.xml")) {
            OtaReservations.Reservation r = only(OtaReservations.Kind.MODIFIED, name);
            Element root = parse(OtaAcknowledgements.write(r.kind(), List.of(new OtaAcknowledgements.Message(r.reservationId(), r.createdAt())), null, "Test", Instant.now()));
            assertThat(root.getLocalName()).isEqualTo("OTA_HotelResModifyNotifRS");
            assertThat(((Element) root.getElementsByTagNameNS("*", "HotelReservationID").item(0)).getAttribute("ResID_Value"))
                    .as(name).isEqualTo(r.reservationId());
        }
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getDocumentElement();
    }
}
