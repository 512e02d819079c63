package io.channelsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for both channel APIs, for a laptop with no partner account (profile
 * {@code sandbox}; {@code make run} turns it on when no real channel URL is configured). It answers
 * the calls channel-sync makes the way the channel would, keeps what it was sent, and fails on
 * demand. Plain Spring MVC, deliberately outside the Camel routes: it plays the remote side.
 * <p>
 * Control: {@code GET /sandbox/requests?channel=airbnb|booking_com&after=SEQ}, {@code DELETE /sandbox/requests}
 * (forget everything), {@code GET|PUT /sandbox/faults} ({@code {"error_rate": 0.2, "latency_ms": 100,
 * "status_by_key": {"<listing or hotel id>": 503}, "outage_until": "2026-11-25T15:00:00Z"}}),
 * {@code POST /sandbox/booking_com/reservations} (a new reservation at a hotel: offered at every pull until acknowledged).
 * Airbnb's part is {@link io.channelsync.channel.airbnb.AirbnbSandbox}, in Airbnb's folder.
 */
@RestController
@RequestMapping("/sandbox")
@Profile("sandbox")
public class SandboxController {

    private static final Pattern HOTEL_CODE = Pattern.compile("HotelCode=\"(\\d+)\"");
    private static final Pattern UNIQUE_ID = Pattern.compile("<UniqueID[^>]*\\bID=\"([^\"]+)\"");
    private static final String OTA_NS = "http://www.opentravel.org/OTA/2003/05";

    private final ChannelSandbox sandbox;

    public SandboxController(ChannelSandbox sandbox) {
        this.sandbox = sandbox;
    }

    // ---- Booking.com ----

    @PostMapping(path = "/booking_com/token-based-authentication/exchange", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> bookingToken() {
        sandbox.record("booking_com", "POST", "/token-based-authentication/exchange", null, 200, null);
        return Map.of("jwt", "sandbox-jwt-" + Instant.now().getEpochSecond(), "expires_in", 3600);
    }

    @PostMapping(path = "/booking_com/hotels/ota/OTA_HotelAvailNotif", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> bookingAvailability(@RequestBody String body) {
        String hotel = firstMatch(HOTEL_CODE, body);
        int status = sandbox.answerFor(hotel, 200);
        sandbox.record("booking_com", "POST", "/hotels/ota/OTA_HotelAvailNotif", hotel, status, body);
        return ResponseEntity.status(status).body(otaResponse("OTA_HotelAvailNotifRS", status));
    }

    /**
     * The pull after a webhook alert (no {@code start_date}): the hotel's unacknowledged reservations;
     * reconciliation's read (with {@code start_date}): every reservation the hotel holds. The sandbox
     * keeps no separate modification queue, so {@code OTA_HotelResModifyNotif} answers an empty list.
     */
    @GetMapping(path = "/booking_com/hotels/ota/{message:OTA_HotelResNotif|OTA_HotelResModifyNotif}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> bookingReservations(@PathVariable String message,
                                               @RequestParam(name = "hotel_id", required = false) String hotelId,
                                               @RequestParam(name = "start_date", required = false) String startDate) {
        int status = sandbox.answerFor(hotelId, 200);
        List<String> reservations = status != 200 || message.equals("OTA_HotelResModifyNotif") ? List.of()
                : startDate != null ? sandbox.bookingReservations(hotelId) : sandbox.unacknowledgedBookingReservations(hotelId);
        String body = "<" + message + "RQ xmlns=\"" + OTA_NS + "\" Version=\"2.001\" TimeStamp=\"" + Instant.now() + "\"><HotelReservations>"
                + String.join("", reservations) + "</HotelReservations></" + message + "RQ>";
        sandbox.record("booking_com", "GET", "/hotels/ota/" + message + (hotelId == null ? "" : "?hotel_id=" + hotelId)
                + (startDate == null ? "" : "&start_date=" + startDate), hotelId, status, body);
        return ResponseEntity.status(status).body(status == 200 ? body : otaResponse(message + "RS", status));
    }

    /** Acknowledgement: a Success for a reservation id stops the channel offering it. */
    @PostMapping(path = "/booking_com/hotels/ota/{message:OTA_HotelResNotif|OTA_HotelResModifyNotif}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> bookingAcknowledge(@PathVariable String message, @RequestBody String body) {
        String reservationId = firstMatch(UNIQUE_ID, body);
        if (reservationId != null && body.contains("<Success")) {
            sandbox.acknowledgeBookingReservation(reservationId);
        }
        sandbox.record("booking_com", "POST", "/hotels/ota/" + message, reservationId, 200, body);
        return ResponseEntity.ok(otaResponse(message + "RS", 200));
    }

    /** A new reservation at a hotel: {@code {"hotel_id", "reservation_id", "xml": "<HotelReservation ...>...</HotelReservation>"}}. */
    @PostMapping(path = "/booking_com/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> addBookingReservation(@RequestBody JsonNode request) {
        sandbox.addBookingReservation(request.path("hotel_id").asText(), request.path("reservation_id").asText(), request.path("xml").asText());
        return ResponseEntity.accepted().build();
    }

    // ---- control ----

    @GetMapping(path = "/requests", produces = MediaType.APPLICATION_JSON_VALUE)
    List<ChannelSandbox.Recorded> requests(@RequestParam Optional<String> channel, @RequestParam(defaultValue = "0") long after) {
        return sandbox.requests(channel, after);
    }

    @DeleteMapping("/requests")
    ResponseEntity<Void> clear() {
        sandbox.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/faults", produces = MediaType.APPLICATION_JSON_VALUE)
    ChannelSandbox.Faults faults() {
        return sandbox.faults();
    }

    @PutMapping(path = "/faults", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ChannelSandbox.Faults setFaults(@RequestBody ChannelSandbox.Faults faults) {
        sandbox.setFaults(faults);
        return sandbox.faults();
    }

    private static String otaResponse(String root, int status) {
        String outcome = status < 300 ? "<Success/>"
                : "<Errors><Error Type=\"12\" Code=\"" + status + "\">sandbox injected HTTP " + status + "</Error></Errors>";
        return "<" + root + " xmlns=\"" + OTA_NS + "\" Version=\"1.1\">" + outcome + "</" + root + ">";
    }

    private static String firstMatch(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text == null ? "" : text);
        return m.find() ? m.group(1) : null;
    }
}
