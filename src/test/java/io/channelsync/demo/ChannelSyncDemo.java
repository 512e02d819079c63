package io.channelsync.demo;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code make demo}: walks a running channel-sync (started by {@code make run}, which serves the
 * channel sandbox) through the life of a booking, and says at every step what happened and where
 * it can be seen. Each step checks its outcome through the service's API or the sandbox's record,
 * so the demo is also a smoke test: it exits 1 if any step's check fails.
 * <p>
 * Needs only a JDK: {@code java src/test/java/io/channelsync/demo/ChannelSyncDemo.java [base-url]}
 * with DEMO_OPERATOR_KEY and DEMO_AIRBNB_SECRET in the environment, required (the
 * Makefile passes the ones `make run` gives the service). The test suite runs it too (DemoTest).
 */
public final class ChannelSyncDemo {

    private final String base;
    private final String operatorKey;
    private final String airbnbSecret;
    private final Duration retryWait;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private int step;

    /** The Booking.com rate plan the demo's mapping names (RatePlanCode of its minimum stay). */
    private static final String RATE_PLAN = "5012001";

    // what the demo creates
    private String agencyKey;
    private String property;
    private String listing;
    private String hotel;
    private String room;

    public ChannelSyncDemo(String base, String operatorKey, String airbnbSecret, Duration retryWait) {
        this.base = base.replaceAll("/+$", "");
        this.operatorKey = operatorKey;
        this.airbnbSecret = airbnbSecret;
        this.retryWait = retryWait;
    }

    public static void main(String[] args) {
        String base = args.length > 0 ? args[0] : env("DEMO_BASE_URL", "http://127.0.0.1:8080");
        // the keys and secrets come from the environment (the Makefile passes the ones `make run` gave the service)
        ChannelSyncDemo demo = new ChannelSyncDemo(base, required("DEMO_OPERATOR_KEY"), required("DEMO_AIRBNB_SECRET"),
                Duration.ofSeconds(90));
        List<String> failed = demo.run();
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** Runs every step; returns the checks that failed (empty: the whole flow worked). */
    public List<String> run() {
        try {
            setUp();
            priceAndClosedToArrival();
            airbnbBooking();
            duplicateAndForgery();
            airbnbCancellation();
            bookingComBooking();
            bookingComNotifications();
            retryAndDeadLetter();
            reconciliation();
        } catch (RuntimeException e) {
            failures.add("aborted: " + e.getMessage());
            System.out.println("  ✘ demo aborted: " + e.getMessage());
        }
        System.out.println();
        System.out.println(failures.isEmpty() ? "All steps checked out." : failures.size() + " check(s) failed: " + failures);
        return failures;
    }

    // ---- the story ----

    private void setUp() {
        title("An agency, a property, its calendar, and its listings on both channels");
        require(get("/sandbox/faults", null).status == 200, "the channel sandbox answers (start the service with `make run`)");
        get("/sandbox/requests", null);
        http("DELETE", "/sandbox/requests", null, null, Map.of());

        Response agency = post("/api/v1/agencies", operatorKey, "{\"name\": \"Seaside Rentals (demo " + shortId() + ")\"}");
        require(agency.status == 201, "operator created an agency (201)");
        agencyKey = str(agency.json(), "api_key", "key");
        say("agency %s, its API key %s… (shown once, stored only as a hash)", str(agency.json(), "id"), agencyKey.substring(0, 12));

        Response prop = post("/api/v1/properties", agencyKey, "{\"name\": \"Casa Azul\", \"currency\": \"EUR\"}");
        require(prop.status == 201, "property created, its prices in EUR");
        property = str(prop.json(), "id");

        listing = Long.toString(ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L)) + "0000000001";
        hotel = Long.toString(ThreadLocalRandom.current().nextLong(100_000, 999_999));
        room = hotel + "01";
        // the agency's accounts on the channels: its Airbnb host (with the host's OAuth token) and its Booking.com hotel
        String host = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
        String hostToken = "demo-host-token-" + shortId();
        require(put("/sandbox/airbnb/hosts/" + host, null, "{\"oauth_token\": \"%s\", \"listings\": [\"%s\"]}"
                .formatted(hostToken, listing)).status == 204, "Airbnb's sandbox knows host " + host + " and its listing " + listing);
        Response airbnb = post("/api/v1/channel-connections", agencyKey, "{\"platform\": \"airbnb\", \"account_id\": \"%s\", \"credentials\": {\"oauth_token\": \"%s\"}}"
                .formatted(host, hostToken));
        require(airbnb.status == 201 && !airbnb.body.contains(hostToken),
                "connected Airbnb host " + host + " (201; the OAuth token is stored encrypted and never shown again)");
        Response booking = post("/api/v1/channel-connections", agencyKey, "{\"platform\": \"booking_com\", \"hotel_ids\": [\"%s\"]}".formatted(hotel));
        require(booking.status == 201, "connected Booking.com hotel " + hotel);
        require(post("/api/v1/channel-mappings", agencyKey, "{\"property_id\": \"%s\", \"connection_id\": \"%s\", \"listing_id\": \"%s\"}"
                .formatted(property, str(airbnb.json(), "id"), listing)).status == 201, "mapped to Airbnb listing " + listing + " (Airbnb confirmed the host owns it)");
        require(post("/api/v1/channel-mappings", agencyKey, "{\"property_id\": \"%s\", \"connection_id\": \"%s\", \"listing_id\": \"%s\", \"room_id\": \"%s\", \"rate_plan_id\": \"%s\"}"
                .formatted(property, str(booking.json(), "id"), hotel, room, RATE_PLAN)).status == 201,
                "mapped to Booking.com hotel " + hotel + ", room " + room + ", rate plan " + RATE_PLAN);

        StringBuilder days = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            days.append(i == 0 ? "" : ",").append("{\"date\": \"%s\", \"available\": true, \"min_stay\": 2, \"price\": 140.00}".formatted(day(7 + i)));
        }
        Response calendar = put("/api/v1/properties/" + property + "/availability", agencyKey, "{\"days\": [" + days + "]}");
        require(calendar.status == 200 || calendar.status == 202, "the PMS published 60 open nights");
        awaitJobs("succeeded", 2, "the calendar was pushed to both channels");
        require(sandboxSaw("airbnb", "/v2/calendars/" + listing + "/", "\"availability\""),
                "Airbnb's sandbox received the calendar (PUT /v2/calendars/" + listing + "/{start}/{end}, with the host's OAuth token)");
        require(sandboxSaw("booking_com", "/hotels/ota/OTA_HotelAvailNotif", "InvTypeCode=\"" + room + "\""), "Booking.com's sandbox received OTA_HotelAvailNotif for room " + room);
        require(sandboxSaw("booking_com", "/hotels/ota/OTA_HotelAvailNotif", "<LengthOfStay Time=\"2\" MinMaxMessageType=\"SetForwardMinStay\"/>"),
                "the minimum stay went as SetForwardMinStay for rate plan " + RATE_PLAN);
        require(sandboxSaw("booking_com", "/hotels/ota/OTA_HotelRateAmountNotif", "AmountAfterTax=\"140.00\" CurrencyCode=\"EUR\""),
                "the price went as OTA_HotelRateAmountNotif (140.00 EUR a night)");
    }

    private void priceAndClosedToArrival() {
        title("The PMS changes one night: a new price, and closed to arrival");
        long seen = lastSandboxSeq();
        String night = day(30);
        int jobs = jobCount();
        Response changed = put("/api/v1/properties/" + property + "/availability", agencyKey,
                "[{\"date\": \"%s\", \"units\": 1, \"min_stay_arrival\": 2, \"price\": 165.00, \"closed_to_arrival\": true}]".formatted(night));
        require(changed.status == 200, "PUT availability: " + night + " now 165.00 EUR and closed to arrival (200)");
        awaitJobs("succeeded", jobs + 2, "a sync job per channel ran");
        List<Map<String, Object>> booking = sandboxAfter("booking_com", seen);
        require(booking.stream().anyMatch(r -> String.valueOf(r.get("path")).endsWith("OTA_HotelRateAmountNotif")
                        && String.valueOf(r.get("body")).contains("Start=\"" + night + "\" End=\"" + night + "\"")
                        && String.valueOf(r.get("body")).contains("AmountAfterTax=\"165.00\"")),
                "Booking.com received the new price for " + night + " only (OTA_HotelRateAmountNotif, 165.00)");
        require(booking.stream().anyMatch(r -> String.valueOf(r.get("path")).endsWith("OTA_HotelAvailNotif")
                        && String.valueOf(r.get("body")).contains("<RestrictionStatus Restriction=\"Arrival\" Status=\"Close\"/>")
                        && String.valueOf(r.get("body")).contains("Start=\"" + night + "\"")),
                "Booking.com received " + night + " closed to arrival (OTA_HotelAvailNotif, RestrictionStatus Arrival Close, rate plan " + RATE_PLAN + ")");
        List<Map<String, Object>> airbnb = sandboxAfter("airbnb", seen);
        require(airbnb.size() == 1 && String.valueOf(airbnb.get(0).get("path")).equals("/v2/calendars/" + listing + "/" + night + "/" + night)
                        && String.valueOf(airbnb.get(0).get("body")).contains("\"daily_price\":165"),
                "Airbnb received the new price for " + night + " only (one PUT /v2/calendars/" + listing + "/" + night + "/" + night
                        + "); closed to arrival has no public Airbnb field, so it is not sent (docs/channels.md)");
        long again = lastSandboxSeq();
        require(put("/api/v1/properties/" + property + "/availability", agencyKey,
                "[{\"date\": \"%s\", \"units\": 1, \"min_stay_arrival\": 2, \"price\": 165.00, \"closed_to_arrival\": true}]".formatted(night)).status == 200,
                "the same PUT again (200)");
        awaitJobs("succeeded", jobs + 4, "its sync jobs ran");
        require(sandboxAfter("airbnb", again).isEmpty() && sandboxAfter("booking_com", again).stream()
                        .noneMatch(r -> String.valueOf(r.get("body")).contains("InvTypeCode=\"" + room + "\"")),
                "nothing changed, so nothing was sent to either channel (the delta store)");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sandboxAfter(String channel, long seq) {
        return ((List<Map<String, Object>>) (Object) get("/sandbox/requests?channel=" + channel + "&after=" + seq, null).jsonList()).stream()
                .filter(r -> String.valueOf(r.get("path")).contains(channel.equals("airbnb") ? "/v2/calendars/" + listing + "/" : "/hotels/ota/"))
                .toList();
    }

    private String airbnbCode;
    private byte[] airbnbBookingBody;
    private long airbnbBookingTime;

    private void airbnbBooking() {
        title("A guest books on Airbnb: the same nights must close on Booking.com");
        airbnbCode = "HM" + shortId().toUpperCase();
        airbnbSandboxHolds(airbnbCode, day(10), day(13), "accept");
        airbnbBookingBody = airbnbReservation("evt-" + airbnbCode + "-1", "reservation_acceptance_confirmation", airbnbCode, day(10), day(13), "accept");
        airbnbBookingTime = Instant.now().getEpochSecond();
        Response accepted = airbnbWebhook(airbnbBookingBody, airbnbSecret, airbnbBookingTime);
        require(accepted.status == 202 && "queued".equals(str(accepted.json(), "status")),
                "signed webhook accepted: 202, stored durably before the answer (webhook_log id " + str(accepted.json(), "id") + ")");
        awaitBooking(airbnbCode, "confirmed", "booking " + airbnbCode + " stored in the PMS (" + day(10) + " to " + day(13) + ")");
        awaitJobs("succeeded", 3, "an availability sync job ran for the other channel (Booking.com) only");
        require(sandboxSaw("booking_com", "/hotels/ota/OTA_HotelAvailNotif", "Start=\"" + day(10) + "\""),
                "Booking.com received the update closing " + day(10) + " (BookingLimit 0 for those nights)");
    }

    private void duplicateAndForgery() {
        title("The channel delivers the same event twice, and someone forges one");
        Map<String, Object> booked = onlyBooking(airbnbCode);
        int jobs = jobCount();
        long seen = lastSandboxSeq();
        double duplicates = metric("channelsync_webhooks_total", "platform", "airbnb", "outcome", "duplicate");
        double stored = metric("channelsync_webhooks_total", "platform", "airbnb", "outcome", "received");
        Response again = airbnbWebhook(airbnbBookingBody, airbnbSecret, airbnbBookingTime);
        require(again.status == 200 && "duplicate".equals(str(again.json(), "status")), "the repeat is answered 200 duplicate");
        require(metricReaches(duplicates + 1, "channelsync_webhooks_total", "platform", "airbnb", "outcome", "duplicate")
                        && metric("channelsync_webhooks_total", "platform", "airbnb", "outcome", "received") == stored + 1,
                "it is logged once, as a duplicate (/actuator/prometheus: channelsync_webhooks_total{platform=\"airbnb\"} duplicate +1, no second live row)");
        holds(() -> booked.equals(onlyBooking(airbnbCode)) && jobCount() == jobs && calendarPushesAfter(seen).isEmpty(), Duration.ofSeconds(3),
                "processed no second time: still one booking " + airbnbCode + ", unchanged (updated_at " + booked.get("updated_at")
                        + "), no new sync job, no calendar pushed to either channel");

        byte[] forged = airbnbReservation("evt-forged-" + shortId(), "reservation_cancellation_confirmation", airbnbCode, day(10), day(13), "cancelled_by_guest");
        double rejected = metric("channelsync_webhooks_total", "platform", "airbnb", "outcome", "rejected");
        Response refused = airbnbWebhook(forged, "not-the-secret", Instant.now().getEpochSecond());
        require(refused.status == 401, "a forged cancellation (wrong signature) is refused with 401");
        require(metricReaches(rejected + 1, "channelsync_webhooks_total", "platform", "airbnb", "outcome", "rejected"),
                "and logged as rejected (channelsync_webhooks_total{platform=\"airbnb\",outcome=\"rejected\"} " + (long) rejected + " -> " + (long) (rejected + 1) + ")");
        holds(() -> booked.equals(onlyBooking(airbnbCode)), Duration.ofSeconds(1), "the booking is untouched by the forgery");
    }

    private void airbnbCancellation() {
        title("The guest cancels on Airbnb: the nights reopen on Booking.com");
        airbnbSandboxHolds(airbnbCode, day(10), day(13), "cancelled_by_guest");
        byte[] cancel = airbnbReservation("evt-" + airbnbCode + "-2", "reservation_cancellation_confirmation", airbnbCode, day(10), day(13), "cancelled_by_guest");
        require(airbnbWebhook(cancel, airbnbSecret, Instant.now().getEpochSecond()).status == 202, "cancellation webhook accepted");
        awaitBooking(airbnbCode, "cancelled", "booking " + airbnbCode + " is cancelled in the PMS");
        awaitJobs("succeeded", 4, "a sync job pushed the reopened nights to Booking.com");
    }

    private void bookingComNotifications() {
        title("Booking.com's notification service (CNS): it fetches a JWT from our token endpoint, then notifies us with it");
        // Booking.com's reservations themselves are polled (OTA_HotelResNotif); a CNS notification is an alert
        Response reservations = post("/sandbox/booking_com/notifications", null,
                "{\"type\": \"VIRTUAL_CREDIT_CARD_UPDATE\", \"payload\": {\"hotel_id\": \"%s\"}}".formatted(hotel));
        require(reservations.status == 200 && "202".equals(str(reservations.json(), "status")),
                "CNS fetched a token (OAuth 2.0 client-credentials grant) and its VIRTUAL_CREDIT_CARD_UPDATE notification was accepted (202):"
                        + " it asks for an immediate reservation poll");
        Response other = post("/sandbox/booking_com/notifications", null,
                "{\"type\": \"ACCSEC_PARTNER_PHISHING\", \"payload\": {\"hotel_id\": \"%s\"}}".formatted(hotel));
        require(other.status == 200 && "202".equals(str(other.json(), "status")),
                "an ACCSEC_PARTNER_PHISHING notification was accepted (202) and is raised as an operator alert");
        byte[] body = ("{\"metadata\": {\"uuid\": \"%s\", \"type\": \"VIRTUAL_CREDIT_CARD_UPDATE\", \"payloadVersion\": \"1.0\"}, \"payload\": {}}")
                .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        double rejected = metric("channelsync_webhooks_total", "platform", "booking_com", "outcome", "rejected");
        Response forged = http("POST", "/api/v1/webhooks/booking_com", null, body,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.Zm9yZ2Vk"));
        require(forged.status == 401, "a notification with a token we did not issue is refused (401)");
        require(metricReaches(rejected + 1, "channelsync_webhooks_total", "platform", "booking_com", "outcome", "rejected"),
                "and logged as rejected (channelsync_webhooks_total{platform=\"booking_com\",outcome=\"rejected\"} " + (long) rejected + " -> " + (long) (rejected + 1) + ")");
        String guess = Base64.getEncoder().encodeToString("someone:a-guess".getBytes(StandardCharsets.UTF_8));
        Response wrongSecret = http("POST", "/api/v1/webhooks/booking_com/token", null, "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + guess));
        require(wrongSecret.status == 401 && "invalid_client".equals(str(wrongSecret.json(), "error")),
                "the token endpoint refuses unknown client credentials (401 invalid_client)");
    }

    private void bookingComBooking() {
        title("A guest books on Booking.com: we poll its queue, store the reservation, acknowledge it");
        String reservation = Long.toString(ThreadLocalRandom.current().nextLong(4_000_000_000L, 4_999_999_999L));
        // a HotelReservation as Booking.com's reference pages describe it: one RoomRate per night, integer totals
        StringBuilder nights = new StringBuilder();
        for (int d = 20; d < 24; d++) {
            nights.append("<RoomRate EffectiveDate=\"%s\" RatePlanCode=\"1\"><Rates><Rate><Total AmountAfterTax=\"14000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/></Rate></Rates></RoomRate>"
                    .formatted(day(d)));
        }
        String xml = ("<HotelReservation><RoomStays><RoomStay IndexNumber=\"1\"><RoomTypes><RoomType RoomTypeCode=\"%s\"/></RoomTypes>"
                + "<RoomRates>%s</RoomRates><GuestCounts><GuestCount Count=\"2\"/></GuestCounts>"
                + "<Total AmountAfterTax=\"56000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/><BasicPropertyInfo HotelCode=\"%s\"/></RoomStay></RoomStays>"
                + "<ResGuests><ResGuest><Profiles><ProfileInfo><Profile><Customer><PersonName><GivenName>Ana</GivenName><Surname>Silva</Surname>"
                + "</PersonName></Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests><ResGlobalInfo>"
                + "<Total AmountAfterTax=\"56000\" DecimalPlaces=\"2\" CurrencyCode=\"EUR\"/><HotelReservationIDs>"
                + "<HotelReservationID ResID_Value=\"%s\" ResID_Date=\"%s\"/></HotelReservationIDs></ResGlobalInfo></HotelReservation>")
                .formatted(room, nights, hotel, reservation, LocalDateTime.now(ZoneOffset.UTC).withNano(0));
        require(post("/sandbox/booking_com/reservations", null, "{\"endpoint\": \"OTA_HotelResNotif\", \"xml\": \"%s\"}"
                .formatted(xml.replace("\"", "\\\""))).status == 202, "Booking.com now holds reservation " + reservation + " in its queue");
        say("Booking.com never pushes a reservation: channel-sync GETs OTA_HotelResNotif every 20 s (channel-sync.channels.booking-com.poll-interval)");
        await(() -> bookings().stream().anyMatch(b -> reservation.equals(b.get("reservation_code")) && "confirmed".equals(b.get("status"))),
                Duration.ofSeconds(45), "reservation " + reservation + " polled (GET OTA_HotelResNotif) and stored (" + day(20) + " to " + day(24) + ")");
        await(() -> sandboxSaw("booking_com", "/hotels/ota/OTA_HotelResNotif", "<Success/>"), Duration.ofSeconds(15),
                "acknowledged after the commit with OTA_HotelResNotifRS Success naming ResID_Value " + reservation + ", so it leaves the queue");
        awaitJobs("succeeded", 5, "a sync job closed the nights on Airbnb");
        require(sandboxSaw("airbnb", "/v2/calendars/" + listing + "/" + day(20) + "/", "\"unavailable\""),
                "Airbnb received the calendar with the nights from " + day(20) + " closed");
    }

    private void retryAndDeadLetter() {
        title("Booking.com's API goes down: retries with backoff, then a dead letter, then a requeue");
        require(put("/sandbox/faults", null, "{\"status_by_key\": {\"%s\": 503}}".formatted(room)).status == 200,
                "the sandbox answers 503 for room " + room + " from now on");
        Response trigger = post("/api/v1/sync/availability", agencyKey, "{\"property_id\": \"%s\", \"platforms\": [\"booking_com\"], \"full\": true}".formatted(property));
        require(trigger.status == 202, "an operator asks for a full Booking.com sync (202; \"full\": true sends every night, not only the changed ones)");
        String job = String.valueOf(((List<?>) trigger.json().get("job_ids")).get(0));
        say("job %s: each failure is an attempt row; retries wait 1, 2, 4, 8, 16 s (channel-sync.retry.*) without holding a thread", job);
        await(() -> "deadlettered".equals(str(get("/api/v1/sync/jobs/" + job, agencyKey).json(), "status")), retryWait,
                "after the last retry the job is deadlettered");
        Map<String, Object> jobNow = get("/api/v1/sync/jobs/" + job, agencyKey).json();
        say("retry_count %s, %s attempts recorded", jobNow.get("retry_count"), ((List<?>) jobNow.getOrDefault("attempts", List.of())).size());
        Map<String, Object> letter = deadLetterOf(job);
        require(letter != null, "the dead-letter store holds it with its payload, error and every attempt (dead letter " + (letter == null ? "?" : letter.get("id")) + ")");
        if (letter == null) {
            return;
        }
        say("error: %s", letter.get("exception_message"));
        require(put("/sandbox/faults", null, "{}").status == 200, "Booking.com recovers");
        long requeued = lastSandboxSeq();
        require(post("/api/v1/deadletters/" + letter.get("id") + "/requeue", agencyKey, "").status == 202, "an operator requeues the dead letter (202)");
        await(() -> "succeeded".equals(str(get("/api/v1/sync/jobs/" + job, agencyKey).json(), "status")), Duration.ofSeconds(30),
                "the requeued job succeeded");
        require(!hotelPushesAfter(requeued).isEmpty(), "Booking.com received the calendar of room " + room + " again (OTA_HotelAvailNotif)");
        int attempts = ((List<?>) get("/api/v1/sync/jobs/" + job, agencyKey).json().getOrDefault("attempts", List.of())).size();
        int jobs = jobCount();
        long seen = lastSandboxSeq();
        require(post("/api/v1/deadletters/" + letter.get("id") + "/requeue", agencyKey, "").status == 409, "a second requeue is refused (409)");
        holds(() -> {
            Map<String, Object> again = get("/api/v1/sync/jobs/" + job, agencyKey).json();
            return "succeeded".equals(str(again, "status")) && ((List<?>) again.getOrDefault("attempts", List.of())).size() == attempts
                    && jobCount() == jobs && hotelPushesAfter(seen).isEmpty();
        }, Duration.ofSeconds(3), "nothing is pushed twice: job " + job + " keeps its " + attempts + " attempts, no new job, no second OTA_HotelAvailNotif for room " + room);
    }

    private void reconciliation() {
        title("Airbnb lost a webhook: the daily reconciliation finds the drift");
        String lost = "HM" + shortId().toUpperCase();
        airbnbSandboxHolds(lost, day(40), day(43), "accept");
        say("Airbnb holds reservation %s, but its webhook never arrived", lost);
        Response runs = post("/api/v1/reconciliation/runs", agencyKey, "{}");
        require(runs.status == 201, "reconciliation run for the agency (the Quartz route runs it daily for every agency)");
        Object run = ((Map<?, ?>) ((List<?>) runs.json().get("runs")).get(0)).get("id");
        Map<String, Object> detail = get("/api/v1/reconciliation/runs/" + run, agencyKey).json();
        List<?> found = (List<?>) detail.getOrDefault("discrepancies", List.of());
        found.stream().map(d -> (Map<?, ?>) d).forEach(d -> say("%s %s (%s): PMS %s / channel %s", d.get("severity"), d.get("kind"),
                d.get("reservation_code"), d.get("pms_value"), d.get("channel_value")));
        boolean missing = found.stream().map(d -> (Map<?, ?>) d)
                .anyMatch(d -> "missing_in_pms".equals(d.get("kind")) && lost.equals(d.get("reservation_code")));
        require(missing, "run " + run + " reports " + lost + " as missing_in_pms, and raised an alert (" + found.size() + " discrepancy(ies) in all)");
    }

    // ---- steps and checks ----

    private void title(String text) {
        System.out.println();
        System.out.println(++step + ". " + text);
    }

    private void say(String format, Object... args) {
        System.out.println("     " + String.format(format, args));
    }

    private boolean require(boolean ok, String what) {
        System.out.println("  " + (ok ? "✔ " : "✘ ") + what);
        if (!ok) {
            failures.add("step " + step + ": " + what);
        }
        return ok;
    }

    /** Polls (bounded) until the condition holds, then reports it as a check. */
    private void await(Supplier<Boolean> condition, Duration atMost, String what) {
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean ok = false;
        while (!ok && System.nanoTime() < deadline) {
            try {
                ok = Boolean.TRUE.equals(condition.get());
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                pause();
            }
        }
        require(ok, what);
    }

    /** Polls for a while and reports whether the condition held every time (for what must NOT happen after a step). */
    private void holds(Supplier<Boolean> condition, Duration during, String what) {
        long deadline = System.nanoTime() + during.toNanos();
        boolean ok = true;
        while (ok && System.nanoTime() < deadline) {
            try {
                ok = Boolean.TRUE.equals(condition.get());
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                pause();
            }
        }
        require(ok, what);
    }

    private void awaitBooking(String code, String status, String what) {
        await(() -> bookings().stream().anyMatch(b -> code.equals(b.get("reservation_code")) && status.equals(b.get("status"))),
                Duration.ofSeconds(20), what);
    }

    private void awaitJobs(String status, int atLeast, String what) {
        await(() -> {
            List<?> items = (List<?>) get("/api/v1/sync/jobs?property_id=" + property + "&status=" + status + "&limit=200", agencyKey).json().get("items");
            List<?> open = (List<?>) get("/api/v1/sync/jobs?property_id=" + property + "&status=pending&limit=200", agencyKey).json().get("items");
            return items.size() >= atLeast && open.isEmpty();
        }, Duration.ofSeconds(30), what);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> bookings() {
        return (List<Map<String, Object>>) get("/api/v1/properties/" + property + "/bookings", agencyKey).json().get("items");
    }

    /** The one booking with this code, as the API shows it (a map saying how many there are if not exactly one). */
    private Map<String, Object> onlyBooking(String code) {
        List<Map<String, Object>> same = bookings().stream().filter(b -> code.equals(b.get("reservation_code"))).toList();
        return same.size() == 1 ? same.get(0) : Map.of("bookings_with_code", same.size());
    }

    private int jobCount() {
        return ((List<?>) get("/api/v1/sync/jobs?property_id=" + property + "&limit=200", agencyKey).json().get("items")).size();
    }

    /**
     * A business metric as Prometheus scrapes it (operator key as bearer), e.g.
     * {@code channelsync_webhooks_total{outcome="rejected",platform="airbnb"} 1.0}; NaN if the series is missing.
     */
    private double metric(String name, String... labels) {
        String scrape = get("/actuator/prometheus", operatorKey).body;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String series = line.substring(0, line.lastIndexOf('}') + 1);
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) {
                match &= series.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (match) {
                return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** Waits (bounded: the service re-reads its metrics every channel-sync.metrics.refresh) until the metric shows this value. */
    private boolean metricReaches(double value, String name, String... labels) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (metric(name, labels) != value) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
        return true;
    }

    /** The highest sequence number the sandbox has recorded so far (0: none). */
    private long lastSandboxSeq() {
        return get("/sandbox/requests", null).jsonList().stream()
                .mapToLong(r -> ((Number) ((Map<?, ?>) r).get("seq")).longValue()).max().orElse(0);
    }

    /** Calendar pushes for this property's listing (Airbnb) or hotel (Booking.com) the sandbox received after seq. */
    private List<?> calendarPushesAfter(long seq) {
        List<?> airbnb = get("/sandbox/requests?channel=airbnb&after=" + seq, null).jsonList().stream()
                .filter(r -> String.valueOf(((Map<?, ?>) r).get("path")).startsWith("/v2/calendars/" + listing + "/")).toList();
        return airbnb.isEmpty() ? hotelPushesAfter(seq) : airbnb;
    }

    private List<?> hotelPushesAfter(long seq) {
        return get("/sandbox/requests?channel=booking_com&after=" + seq, null).jsonList().stream().map(r -> (Map<?, ?>) r)
                .filter(r -> String.valueOf(r.get("path")).startsWith("/hotels/ota/OTA_HotelAvailNotif")
                        && String.valueOf(r.get("body")).contains("InvTypeCode=\"" + room + "\""))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> deadLetterOf(String job) {
        List<Map<String, Object>> open = (List<Map<String, Object>>) get("/api/v1/deadletters?status=open&limit=200", agencyKey).json().get("items");
        return open.stream().filter(d -> job.equals(String.valueOf(d.get("sync_log_id")))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private boolean sandboxSaw(String channel, String path, String bodyContains) {
        List<Map<String, Object>> seen = (List<Map<String, Object>>) (Object) get("/sandbox/requests?channel=" + channel, null).jsonList();
        return seen.stream().anyMatch(r -> String.valueOf(r.get("path")).startsWith(path)
                && (bodyContains == null || String.valueOf(r.get("body")).contains(bodyContains)));
    }

    private void airbnbSandboxHolds(String code, String start, String end, String status) {
        post("/sandbox/airbnb/reservations", null, ("{\"confirmation_code\": \"%s\", \"listing_id\": \"%s\", \"start_date\": \"%s\", \"end_date\": \"%s\","
                + " \"number_of_guests\": 2, \"status_type\": \"%s\", \"expected_payout_amount_accurate\": \"420.00\", \"host_currency\": \"EUR\","
                + " \"guest_first_name\": \"Zoë\", \"guest_last_name\": \"Weber\"}").formatted(code, listing, start, end, status));
    }

    private byte[] airbnbReservation(String eventId, String action, String code, String start, String end, String status) {
        return ("{\"action\": \"%s\", \"event_id\": \"%s\", \"reservation\": {\"confirmation_code\": \"%s\", \"listing_id\": \"%s\","
                + " \"start_date\": \"%s\", \"end_date\": \"%s\", \"number_of_guests\": 2, \"status_type\": \"%s\","
                + " \"expected_payout_amount_accurate\": \"420.00\", \"host_currency\": \"EUR\", \"guest_first_name\": \"Zoë\", \"guest_last_name\": \"Weber\"}}")
                .formatted(action, eventId, code, listing, start, end, status).getBytes(StandardCharsets.UTF_8);
    }

    // ---- signing, as each channel does ----

    private Response airbnbWebhook(byte[] body, String secret, long t) {
        String signature = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), (t + ".").getBytes(StandardCharsets.UTF_8), body));
        return http("POST", "/api/v1/webhooks/airbnb", null, body, Map.of("Content-Type", "application/json", "X-Airbnb-Signature", "t=" + t + ",v1=" + signature));
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- HTTP ----

    record Response(int status, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            Object parsed = body == null || body.isBlank() ? Map.of() : parseJson(body);
            return parsed instanceof Map ? (Map<String, Object>) parsed : Map.of();
        }

        List<?> jsonList() {
            Object parsed = parseJson(body);
            return parsed instanceof List<?> list ? list : List.of();
        }
    }

    private Response get(String path, String key) {
        return http("GET", path, key, null, Map.of());
    }

    private Response post(String path, String key, String json) {
        return http("POST", path, key, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    private Response put(String path, String key, String json) {
        return http("PUT", path, key, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    private Response http(String method, String path, String key, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + base + path + " failed: " + e.getMessage(), e);
        }
    }

    private static String str(Map<String, Object> json, String... path) {
        Object node = json;
        for (String key : path) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return node == null ? null : String.valueOf(node);
    }

    private static String day(int fromToday) {
        return LocalDate.now().plusDays(fromToday).toString();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " is not set: run the demo with `make demo`, or export DEMO_OPERATOR_KEY, "
                    + "DEMO_AIRBNB_SECRET as the running service knows them");
            System.exit(2);
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void pause() {
        try {
            Thread.sleep(250); // the demo's polling interval; every wait is bounded by its deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    // ---- a small JSON reader, so the demo runs on a bare JDK (java ChannelSyncDemo.java) ----

    static Object parseJson(String text) {
        return new JsonReader(text).value();
    }

    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s == null ? "null" : s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') { i++; return map; }
                do {
                    skip();
                    String key = string();
                    skip();
                    i++; // ':'
                    map.put(key, value());
                    skip();
                } while (s.charAt(i++) == ',');
                return map;
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') { i++; return list; }
                do {
                    list.add(value());
                    skip();
                } while (s.charAt(i++) == ',');
                return list;
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) i++;
            String word = s.substring(start, i);
            return switch (word) {
                case "true" -> true;
                case "false" -> false;
                case "null" -> null;
                default -> word.contains(".") || word.contains("e") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
            };
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            i++; // opening quote
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> { out.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            i++; // closing quote
            return out.toString();
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
