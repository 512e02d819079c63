package io.channelsync.channel.bookingcom;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Booking.com's Connectivity Notification Service (CNS) on our side
 * ({@code channel-sync.webhooks.booking-com}; the scheme and secrets of that block belong to
 * {@code WebhookProperties}). CNS is the OAuth 2.0 client, we are its authorization server: it
 * fetches a JWT from {@code POST /api/v1/webhooks/booking_com/token} with the client credentials
 * below and sends every notification with {@code Authorization: Bearer <JWT>}.
 *
 * @param clientId      the client id we gave Booking.com in the Provider Portal
 * @param clientSecret  its secret (compared in constant time, never logged)
 * @param jwtKey        the HS256 key that signs and verifies our tokens: base64 of at least 32 bytes
 * @param issuer        {@code iss} of our tokens (checked on every notification)
 * @param audience      {@code aud} of our tokens (checked on every notification)
 * @param tokenLifetime how long a token is valid ({@code expires_in})
 * @param clockSkew     leeway for {@code exp}/{@code nbf} between our instances' clocks
 * @param pollTypes     notification types that concern reservations: each triggers an immediate
 *                      Booking.com reservation poll; any other type is stored and raised as an alert
 */
@ConfigurationProperties("channel-sync.webhooks.booking-com")
public record CnsProperties(String clientId, String clientSecret, String jwtKey,
                            @DefaultValue("channel-sync") String issuer,
                            @DefaultValue("channel-sync") String audience,
                            @DefaultValue("1h") Duration tokenLifetime,
                            @DefaultValue("60s") Duration clockSkew,
                            List<String> pollTypes) {

    /** The notification types Booking.com's docs tie to the "Reservations" connection type. */
    public static final List<String> RESERVATION_TYPES = List.of("VIRTUAL_CREDIT_CARD_UPDATE", "VCC_BALANCE", "VCC_FEES_PAYOUT",
            "PAYOUT_UPDATE", "PAYOUT_METHOD_UPDATE", "BANK_TRANSFER_UPDATE");

    public CnsProperties {
        clientId = blankToNull(clientId);
        clientSecret = blankToNull(clientSecret);
        jwtKey = blankToNull(jwtKey);
        pollTypes = pollTypes == null ? RESERVATION_TYPES
                : pollTypes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("channel-sync.webhooks.booking-com.token-lifetime must be positive");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
