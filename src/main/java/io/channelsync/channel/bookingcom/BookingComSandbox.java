package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.sandbox.ChannelSandbox;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Booking.com's part of the local channel sandbox (profile {@code sandbox}), playing only what Booking.com
 * documents (docs/channels.md). One root, {@code /sandbox/booking_com}, serves the paths of its three hosts
 * ({@code make run} points all three URLs at it):
 * <ul>
 *   <li>token exchange: {@code POST /token-based-authentication/exchange} {@code {"client_id", "client_secret"}} ->
 *       {@code {"jwt", "expires_in": 3600}}; 401 without both</li>
 *   <li>availability host: {@code POST /hotels/ota/OTA_HotelAvailNotif} (units, restrictions) and
 *       {@code POST /hotels/ota/OTA_HotelRateAmountNotif} (prices) -> {@code ...RS} with {@code <Success/>};
 *       recorded (prices and restrictions as sent) and faulted by the room id ({@code InvTypeCode}; the documented
 *       availability request names no hotel)</li>
 *   <li>reservations host, the queue semantics: {@code GET /hotels/ota/OTA_HotelResNotif} (resp. {@code OTA_HotelResModifyNotif})
 *       returns every message of that queue not yet acknowledged, at every GET; {@code POST} to the same path with an
 *       {@code ...RS} whose {@code <Success/>} names {@code HotelReservationID@ResID_Value}s removes those; an error
 *       acknowledgement keeps them queued.</li>
 * </ul>
 * Every call needs {@code Authorization: Bearer <a jwt it issued>} except the exchange; calls are recorded and faults
 * applied through {@link ChannelSandbox} ({@code /sandbox/requests}, {@code /sandbox/faults}, keyed by hotel id).
 * Control: {@code POST /sandbox/booking_com/reservations} {@code {"endpoint": "OTA_HotelResNotif"|"OTA_HotelResModifyNotif",
 * "xml": "<HotelReservation>...</HotelReservation>"}} puts a message in a queue (its id read from {@code ResID_Value}).
 */
@RestController
@RequestMapping("/sandbox/booking_com")
@Profile("sandbox")
public class BookingComSandbox {

    private static final Pattern HOTEL_CODE = Pattern.compile("HotelCode=\"(\\d+)\"");
    private static final Pattern ROOM_CODE = Pattern.compile("InvTypeCode=\"(\\d+)\"");
    private static final Pattern RES_ID = Pattern.compile("ResID_Value=\"([^\"]+)\"");
    private static final String OTA_NS = "http://www.opentravel.org/OTA/2003/05";

    /** A message waiting in one of Booking.com's queues. */
    record Queued(String reservationId, String hotelId, String xml) {
    }

    private final ChannelSandbox sandbox;
    private final Map<String, List<Queued>> queues = new LinkedHashMap<>();
    private final List<String> issued = new ArrayList<>();

    public BookingComSandbox(ChannelSandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.onClear(this::clear);
    }

    @PostMapping(path = "/token-based-authentication/exchange", produces = MediaType.APPLICATION_JSON_VALUE)
    synchronized ResponseEntity<Map<String, Object>> token(@RequestBody(required = false) JsonNode body) {
        boolean credentials = body != null && !body.path("client_id").asText("").isBlank() && !body.path("client_secret").asText("").isBlank();
        sandbox.record(BookingComConnector.PLATFORM, "POST", "/token-based-authentication/exchange", null, credentials ? 200 : 401, null);
        if (!credentials) {
            return ResponseEntity.status(401).body(Map.of("error", "invalid_client", "message", "client_id and client_secret are required"));
        }
        String jwt = "sandbox-jwt-" + Instant.now().toEpochMilli() + "-" + issued.size();
        issued.add(jwt);
        return ResponseEntity.ok(Map.of("jwt", jwt, "expires_in", 3600));
    }

    @PostMapping(path = "/hotels/ota/{endpoint:OTA_HotelAvailNotif|OTA_HotelRateAmountNotif}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> availability(@PathVariable String endpoint,
                                        @RequestHeader(name = "Authorization", required = false) String authorization,
                                        @RequestBody String body) {
        // Booking.com's sample names no HotelCode: the message is keyed by its room (InvTypeCode), else a HotelCode
        String room = firstMatch(ROOM_CODE, body);
        String key = room != null ? room : firstMatch(HOTEL_CODE, body);
        int status = authorized(authorization) ? sandbox.answerFor(key, 200) : 401;
        sandbox.record(BookingComConnector.PLATFORM, "POST", "/hotels/ota/" + endpoint, key, status, body);
        return ResponseEntity.status(status).body(otaResponse(endpoint + "RS", status));
    }

    @GetMapping(path = "/hotels/ota/{endpoint:OTA_HotelResNotif|OTA_HotelResModifyNotif}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> queue(@PathVariable String endpoint, @RequestHeader(name = "Authorization", required = false) String authorization) {
        int status = authorized(authorization) ? sandbox.answerFor(null, 200) : 401;
        String container = endpoint.equals("OTA_HotelResNotif") ? "HotelReservations" : "HotelResModifies";
        List<String> messages;
        synchronized (this) {
            messages = queues.getOrDefault(endpoint, List.of()).stream().map(Queued::xml).toList();
        }
        String body = "<" + endpoint + "RQ xmlns=\"" + OTA_NS + "\" TimeStamp=\"" + Instant.now() + "\" Target=\"Test\" Version=\"2.001\"><"
                + container + ">" + String.join("", messages) + "</" + container + "></" + endpoint + "RQ>";
        sandbox.record(BookingComConnector.PLATFORM, "GET", "/hotels/ota/" + endpoint, null, status, status == 200 ? body : null);
        return ResponseEntity.status(status).body(status == 200 ? body : otaResponse(endpoint + "RS", status));
    }

    @PostMapping(path = "/hotels/ota/{endpoint:OTA_HotelResNotif|OTA_HotelResModifyNotif}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> acknowledge(@PathVariable String endpoint, @RequestHeader(name = "Authorization", required = false) String authorization,
                                       @RequestBody String body) {
        List<String> ids = allMatches(RES_ID, body);
        int status = authorized(authorization) ? sandbox.answerFor(ids.isEmpty() ? null : ids.get(0), 200) : 401;
        if (status == 200 && body.contains("<Success")) {
            synchronized (this) {
                queues.getOrDefault(endpoint, new ArrayList<>()).removeIf(q -> ids.contains(q.reservationId()));
            }
        }
        sandbox.record(BookingComConnector.PLATFORM, "POST", "/hotels/ota/" + endpoint, ids.isEmpty() ? null : ids.get(0), status, body);
        return ResponseEntity.status(status).body(otaResponse(endpoint + "RS", status));
    }

    /** Control: Booking.com now holds this message (a new booking, a modification, a cancellation). */
    @PostMapping(path = "/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
    synchronized ResponseEntity<Map<String, Object>> put(@RequestBody JsonNode request) {
        String endpoint = request.path("endpoint").asText("OTA_HotelResNotif");
        String xml = request.path("xml").asText("");
        String id = firstMatch(RES_ID, xml);
        if (!endpoint.matches("OTA_HotelResNotif|OTA_HotelResModifyNotif") || id == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "validation_failed",
                    "message", "endpoint must be OTA_HotelResNotif or OTA_HotelResModifyNotif and xml must carry HotelReservationID@ResID_Value"));
        }
        queues.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(new Queued(id, firstMatch(HOTEL_CODE, xml), xml));
        return ResponseEntity.accepted().body(Map.of("reservation_id", id, "endpoint", endpoint));
    }

    private synchronized boolean authorized(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") && issued.contains(authorization.substring(7));
    }

    private synchronized void clear() {
        queues.clear();
    }

    private static String otaResponse(String root, int status) {
        String outcome = status < 300 ? "<Success/>"
                : "<Errors><Error Type=\"12\" Code=\"" + status + "\" ShortText=\"sandbox answered HTTP " + status + "\"/></Errors>";
        return "<" + root + " xmlns=\"" + OTA_NS + "\" TimeStamp=\"" + Instant.now() + "\" Target=\"Test\" Version=\"2.001\">" + outcome + "</" + root + ">";
    }

    private static String firstMatch(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text == null ? "" : text);
        return m.find() ? m.group(1) : null;
    }

    private static List<String> allMatches(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
