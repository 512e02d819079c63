package io.channelsync.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Where the channels' APIs are and how we authenticate to them. Base URLs end without a slash.
 */
@ConfigurationProperties("channel-sync.channels")
public record ChannelProperties(Airbnb airbnb, BookingCom bookingCom,
                                @DefaultValue("5s") Duration connectTimeout,
                                @DefaultValue("30s") Duration requestTimeout) {

    /**
     * @param baseUrl the Airbnb API root ({@code CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL})
     * @param apiKey  sent as {@code X-Airbnb-API-Key}
     */
    public record Airbnb(String baseUrl, String apiKey) {
        public Airbnb {
            baseUrl = trimSlash(baseUrl);
        }
    }

    /**
     * @param baseUrl      the Booking.com connectivity API root ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL})
     * @param tokenUrl     where the machine-account credentials are exchanged for a JWT
     *                     ({@code CHANNEL_SYNC_CHANNELS_BOOKING_COM_TOKEN_URL}, default
     *                     {@code https://connectivity-authentication.booking.com/token-based-authentication/exchange});
     *                     empty means {@code {base-url}/token-based-authentication/exchange}
     * @param clientId     machine-account client id
     * @param clientSecret machine-account client secret
     */
    public record BookingCom(String baseUrl, String tokenUrl, String clientId, String clientSecret) {
        public BookingCom {
            baseUrl = trimSlash(baseUrl);
        }

        public String effectiveTokenUrl() {
            return tokenUrl == null || tokenUrl.isBlank() ? baseUrl + "/token-based-authentication/exchange" : tokenUrl;
        }
    }

    private static String trimSlash(String url) {
        return url == null ? "" : url.replaceAll("/+$", "");
    }
}
