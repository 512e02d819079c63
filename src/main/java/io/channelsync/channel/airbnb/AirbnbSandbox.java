package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.sandbox.ChannelSandbox;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Airbnb's part of the local channel sandbox (profile {@code sandbox}, under {@code /sandbox/airbnb}):
 * it plays only the calls docs/channels.md documents, with their shapes, and checks what a real host
 * account would check.
 * <ul>
 * <li>{@code GET /v2/listings/{id}}: {@code {"listing": {"id", "user_id"}}} for the host's own listing;</li>
 * <li>{@code PUT /v2/calendars/{listing_id}/{start_date}/{end_date}} with {@code availability}
 *     ({@code available|unavailable|default}), optional {@code daily_price}, {@code min_nights}, {@code max_nights};
 *     recorded as sent (prices and stay rules);</li>
 * <li>{@code GET /v2/reservations?host_id=&_limit=(1-50)&_cursor=}: {@code {"reservations": [...], "paging": {"next_cursor"}}},
 *     cancelled reservations included.</li>
 * </ul>
 * Every call needs {@code X-Airbnb-OAuth-Token} (401 without); a token that is not the host's is 403;
 * an unknown listing 404. Injected faults ({@code /sandbox/faults}) apply after the token check.
 * Control: {@code PUT /sandbox/airbnb/hosts/{host_id}} {@code {"oauth_token", "listings": [...]}}
 * (a host account and its listings) and {@code POST /sandbox/airbnb/reservations} (a reservation the
 * host holds, by {@code listing_id}; the same confirmation code again replaces it). {@code DELETE
 * /sandbox/requests} forgets all of it.
 */
@RestController
@RequestMapping("/sandbox/airbnb")
@Profile("sandbox")
public class AirbnbSandbox {

    private static final Set<String> AVAILABILITY = Set.of("available", "unavailable", "default");

    private record Host(String token, Set<String> listings) {
    }

    private final ChannelSandbox sandbox;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    /** The reservations each host holds, by confirmation code, in the order they were made. */
    private final Map<String, Map<String, Map<String, Object>>> reservations = new ConcurrentHashMap<>();

    public AirbnbSandbox(ChannelSandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.onClear(() -> {
            hosts.clear();
            reservations.clear();
        });
    }

    // ---- the documented calls ----

    @GetMapping(path = "/v2/listings/{listingId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> listing(@PathVariable String listingId,
                                                @RequestHeader(name = AirbnbApi.OAUTH_HEADER, required = false) String token) {
        String path = "/v2/listings/" + listingId;
        ResponseEntity<Map<String, Object>> refused = refuseListing(path, listingId, token, null);
        if (refused != null) {
            return refused;
        }
        sandbox.record(AirbnbConnector.PLATFORM, "GET", path, listingId, 200, null);
        return ResponseEntity.ok(Map.of("listing", Map.of("id", new java.math.BigInteger(listingId), "user_id", new java.math.BigInteger(hostOf(listingId)))));
    }

    @PutMapping(path = "/v2/calendars/{listingId}/{startDate}/{endDate}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> calendar(@PathVariable String listingId, @PathVariable String startDate, @PathVariable String endDate,
                                                 @RequestHeader(name = AirbnbApi.OAUTH_HEADER, required = false) String token,
                                                 @RequestBody JsonNode body) {
        String path = "/v2/calendars/" + listingId + "/" + startDate + "/" + endDate;
        ResponseEntity<Map<String, Object>> refused = refuseListing(path, listingId, token, body.toString());
        if (refused != null) {
            return refused;
        }
        String problem = calendarProblem(startDate, endDate, body);
        if (problem != null) {
            sandbox.record(AirbnbConnector.PLATFORM, "PUT", path, listingId, 400, body.toString());
            return error(400, "invalid_request", problem);
        }
        sandbox.record(AirbnbConnector.PLATFORM, "PUT", path, listingId, 200, body.toString());
        return ResponseEntity.ok(Map.of("listing_id", new java.math.BigInteger(listingId), "start_date", startDate, "end_date", endDate));
    }

    @GetMapping(path = "/v2/reservations", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> reservations(@RequestParam(name = "host_id", required = false) String hostId,
                                                     @RequestParam(name = "_limit", defaultValue = "10") int limit,
                                                     @RequestParam(name = "_cursor", required = false) String cursor,
                                                     @RequestHeader(name = AirbnbApi.OAUTH_HEADER, required = false) String token) {
        String path = "/v2/reservations?host_id=" + hostId + "&_limit=" + limit + (cursor == null ? "" : "&_cursor=" + cursor);
        if (token == null || token.isBlank()) {
            return answer(path, hostId, 401, "unauthorized", "X-Airbnb-OAuth-Token is required");
        }
        int fault = sandbox.answerFor(hostId, 200);
        if (fault != 200) {
            return answer(path, hostId, fault, "sandbox_fault", "injected HTTP " + fault);
        }
        if (hostId == null || hostId.isBlank()) {
            return answer(path, null, 400, "invalid_request", "host_id is required");
        }
        if (limit < 1 || limit > 50) {
            return answer(path, hostId, 400, "invalid_request", "_limit is 1 to 50");
        }
        Host host = hosts.get(hostId);
        if (host == null || !sameToken(host.token(), token)) {
            return answer(path, hostId, 403, "forbidden", "this token is not host " + hostId + "'s");
        }
        int offset;
        try {
            offset = cursor == null ? 0 : Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).substring(7));
        } catch (RuntimeException e) {
            return answer(path, hostId, 400, "invalid_request", "_cursor is not one this API answered");
        }
        List<Map<String, Object>> all = new ArrayList<>(reservations.getOrDefault(hostId, Map.of()).values());
        int end = Math.min(all.size(), offset + limit);
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("next_cursor", end < all.size() ? cursorAt(end) : null);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("reservations", offset < end ? all.subList(offset, end) : List.of());
        page.put("paging", paging);
        sandbox.record(AirbnbConnector.PLATFORM, "GET", path, hostId, 200, null);
        return ResponseEntity.ok(page);
    }

    // ---- control ----

    /** A host account: its OAuth token and its listings. */
    @PutMapping(path = "/hosts/{hostId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> putHost(@PathVariable String hostId, @RequestBody JsonNode body) {
        Set<String> listings = ConcurrentHashMap.newKeySet();
        body.path("listings").forEach(l -> listings.add(l.asText()));
        hosts.put(hostId, new Host(body.path("oauth_token").asText(), listings));
        return ResponseEntity.noContent().build();
    }

    /** A reservation the listing's host holds (what reconciliation reads); 404 for a listing of no host. */
    @PostMapping(path = "/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> putReservation(@RequestBody Map<String, Object> reservation) {
        String host = hostOf(String.valueOf(reservation.get("listing_id")));
        if (host == null) {
            return ResponseEntity.notFound().build();
        }
        reservations.computeIfAbsent(host, h -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()))
                .put(String.valueOf(reservation.get("confirmation_code")), reservation);
        return ResponseEntity.accepted().build();
    }

    // ----

    /** 401 without a token, an injected fault, 404 for a listing of no host, 403 for another host's token; null when the call may go on. */
    private ResponseEntity<Map<String, Object>> refuseListing(String path, String listingId, String token, String body) {
        String method = body == null ? "GET" : "PUT";
        if (token == null || token.isBlank()) {
            sandbox.record(AirbnbConnector.PLATFORM, method, path, listingId, 401, body);
            return error(401, "unauthorized", "X-Airbnb-OAuth-Token is required");
        }
        int fault = sandbox.answerFor(listingId, 200);
        if (fault != 200) {
            sandbox.record(AirbnbConnector.PLATFORM, method, path, listingId, fault, body);
            return error(fault, "sandbox_fault", "injected HTTP " + fault);
        }
        String host = hostOf(listingId);
        int status = host == null ? 404 : sameToken(hosts.get(host).token(), token) ? 0 : 403;
        if (status != 0) {
            sandbox.record(AirbnbConnector.PLATFORM, method, path, listingId, status, body);
            return error(status, status == 404 ? "not_found" : "forbidden",
                    status == 404 ? "no listing " + listingId : "listing " + listingId + " is not this token's host's");
        }
        return null;
    }

    private ResponseEntity<Map<String, Object>> answer(String path, String key, int status, String error, String message) {
        sandbox.record(AirbnbConnector.PLATFORM, "GET", path, key, status, null);
        return error(status, error, message);
    }

    private static String calendarProblem(String startDate, String endDate, JsonNode body) {
        try {
            if (LocalDate.parse(endDate).isBefore(LocalDate.parse(startDate))) {
                return "end_date is before start_date";
            }
        } catch (DateTimeParseException e) {
            return "start_date and end_date are YYYY-MM-DD";
        }
        if (!AVAILABILITY.contains(body.path("availability").asText())) {
            return "availability is one of available, unavailable, default";
        }
        if (body.has("daily_price") && !body.get("daily_price").isNumber()) {
            return "daily_price is a number";
        }
        for (String nights : new String[] {"min_nights", "max_nights"}) {
            if (body.has(nights) && !body.get(nights).canConvertToInt()) {
                return nights + " is an integer";
            }
        }
        return null;
    }

    private String hostOf(String listingId) {
        return hosts.entrySet().stream().filter(e -> e.getValue().listings().contains(listingId)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private static boolean sameToken(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String cursorAt(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<Map<String, Object>> error(int status, String error, String message) {
        return ResponseEntity.status(status).body(Map.of("error", error, "error_message", message));
    }
}
