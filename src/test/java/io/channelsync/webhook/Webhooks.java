package io.channelsync.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/** Signs test Airbnb webhooks the way Airbnb does (an implementation independent of the service's); Booking.com's CNS tokens: support/Cns. */
final class Webhooks {

    static final String AIRBNB_OLD = "test-airbnb-secret-old";
    static final String AIRBNB_NEW = "test-airbnb-secret-new";
    static final String AIRBNB_PATH = "/api/v1/webhooks/airbnb";
    static final String BOOKING_PATH = "/api/v1/webhooks/booking_com";

    private Webhooks() {
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static Map<String, String> airbnbHeaders(String secret, long t, byte[] body) {
        return Map.of("Content-Type", "application/json",
                "X-Airbnb-Signature", "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), (t + ".").getBytes(), body)));
    }

    /** An Airbnb reservation notification; the guest's name is not ASCII on purpose. */
    static byte[] airbnbReservation(String eventId, String action, String code, String listingId, String start, String end,
                                    int guests, String statusType) {
        return ("""
                {"action": "%s",%s
                 "reservation": {"confirmation_code": "%s", "listing_id": "%s", "start_date": "%s", "end_date": "%s",
                   "number_of_guests": %d, "status_type": "%s", "expected_payout_amount_accurate": "480.50",
                   "host_currency": "EUR", "guest_first_name": "Zoë", "guest_last_name": "Łukasiewicz 東京"}}"""
                .formatted(action, eventId == null ? "" : " \"event_id\": \"" + eventId + "\",", code, listingId, start, end, guests, statusType))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The same notification with the reservation's own version, {@code reservation.updated_at}. */
    static byte[] withUpdatedAt(byte[] body, String updatedAt) {
        return new String(body, StandardCharsets.UTF_8)
                .replace("\"reservation\": {", "\"reservation\": {\"updated_at\": \"" + updatedAt + "\", ")
                .getBytes(StandardCharsets.UTF_8);
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
}
