package io.channelsync.sandbox;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local stand-in for both channel APIs, for a laptop with no partner account (profile
 * {@code sandbox}; {@code make run} turns it on when no real channel URL is configured). It answers
 * the calls channel-sync makes the way the channel would, keeps what it was sent, and fails on
 * demand. Plain Spring MVC, deliberately outside the Camel routes: it plays the remote side.
 * <p>
 * Control: {@code GET /sandbox/requests?channel=airbnb|booking_com&after=SEQ}, {@code DELETE /sandbox/requests}
 * (forget everything), {@code GET|PUT /sandbox/faults} ({@code {"error_rate": 0.2, "latency_ms": 100,
 * "status_by_key": {"<listing or hotel id>": 503}, "outage_until": "2026-11-25T15:00:00Z"}}),
 * and {@code POST /sandbox/airbnb/reservations} (a reservation Airbnb holds, for reconciliation). Booking.com's
 * part lives with the channel: {@code io.channelsync.channel.bookingcom.BookingComSandbox}.
 */
@RestController
@RequestMapping("/sandbox")
@Profile("sandbox")
public class SandboxController {

    private final ChannelSandbox sandbox;

    public SandboxController(ChannelSandbox sandbox) {
        this.sandbox = sandbox;
    }

    // ---- Airbnb ----

    @PutMapping(path = "/airbnb/v2/calendars/{listingId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> airbnbCalendar(@PathVariable String listingId, @RequestBody String body) {
        int status = sandbox.answerFor(listingId, 200);
        sandbox.record("airbnb", "PUT", "/v2/calendars/" + listingId, listingId, status, body);
        if (status >= 300) {
            return ResponseEntity.status(status).body(Map.of("error", "sandbox_fault", "message", "injected HTTP " + status));
        }
        return ResponseEntity.ok(Map.of("listing_id", listingId, "result", "calendar updated"));
    }

    @GetMapping(path = "/airbnb/v2/reservations", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> airbnbReservations(@RequestParam("listing_id") String listingId,
                                                           @RequestParam(defaultValue = "0") int offset,
                                                           @RequestParam(defaultValue = "50") int limit) {
        int status = sandbox.answerFor(listingId, 200);
        sandbox.record("airbnb", "GET", "/v2/reservations?listing_id=" + listingId + "&offset=" + offset, listingId, status, null);
        if (status >= 300) {
            return ResponseEntity.status(status).body(Map.of("error", "sandbox_fault", "message", "injected HTTP " + status));
        }
        List<Map<String, Object>> all = sandbox.airbnbReservations(listingId);
        int end = Math.min(all.size(), offset + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("reservations", offset < end ? all.subList(offset, end) : List.of());
        page.put("next_offset", end < all.size() ? end : null);
        return ResponseEntity.ok(page);
    }

    @PostMapping(path = "/airbnb/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> addAirbnbReservation(@RequestBody Map<String, Object> reservation) {
        sandbox.putAirbnbReservation(String.valueOf(reservation.get("listing_id")), reservation);
        return ResponseEntity.accepted().build();
    }

    // ---- Booking.com: io.channelsync.channel.bookingcom.BookingComSandbox ----

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
}
