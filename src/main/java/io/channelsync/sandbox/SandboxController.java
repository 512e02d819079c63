package io.channelsync.sandbox;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

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
 * The channels' own parts live in their folders: {@link io.channelsync.channel.airbnb.AirbnbSandbox} and
 * {@link io.channelsync.channel.bookingcom.BookingComSandbox}.
 */
@RestController
@RequestMapping("/sandbox")
@Profile("sandbox")
public class SandboxController {

    private final ChannelSandbox sandbox;

    public SandboxController(ChannelSandbox sandbox) {
        this.sandbox = sandbox;
    }

    // the channels' parts: io.channelsync.channel.airbnb.AirbnbSandbox, io.channelsync.channel.bookingcom.BookingComSandbox

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
