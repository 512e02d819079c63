package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.connection.ChannelConnections;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What every Airbnb call carries: {@code X-Airbnb-API-Key} (the partner's key,
 * {@code CHANNEL_SYNC_CHANNELS_AIRBNB_API_KEY}) and {@code X-Airbnb-OAuth-Token} (the host's token,
 * from the listing's channel connection, decrypted only here, never logged). See docs/channels.md.
 */
@Component
public class AirbnbApi {

    public static final String API_KEY_HEADER = "X-Airbnb-API-Key";
    public static final String OAUTH_HEADER = "X-Airbnb-OAuth-Token";

    private final ChannelProperties properties;
    private final ChannelConnections connections;

    public AirbnbApi(ChannelProperties properties, ChannelConnections connections) {
        this.properties = properties;
        this.connections = connections;
    }

    /** A request to {@code {base-url}{pathAndQuery}} with both Airbnb headers and {@code Accept: application/json}. */
    HttpRequest.Builder request(String pathAndQuery, String oauthToken) {
        String apiKey = properties.airbnb().apiKey();
        return HttpRequest.newBuilder(URI.create(properties.airbnb().baseUrl() + pathAndQuery))
                .header(API_KEY_HEADER, apiKey == null ? "" : apiKey)
                .header(OAUTH_HEADER, oauthToken)
                .header("Accept", "application/json");
    }

    /**
     * The host's OAuth token of a connection.
     *
     * @throws ChannelCallException (401, not transient) when the connection has no live token: a retry cannot help
     */
    String tokenOf(UUID connectionId) throws ChannelCallException {
        return token(connectionId, connections.credentials(connectionId).orElse(null));
    }

    private static String token(UUID connectionId, JsonNode credentials) throws ChannelCallException {
        JsonNode token = credentials == null ? null : credentials.path("oauth_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new ChannelCallException(AirbnbConnector.PLATFORM, 401, "channel connection " + connectionId
                    + " has no host OAuth token (deleted, or made without credentials)", null);
        }
        return token.asText();
    }

    /** The host that holds a listing: its Airbnb user id and OAuth token. */
    record Host(String hostId, String token) {
        @Override
        public String toString() {
            return "Host[" + hostId + "]";
        }
    }

    /**
     * The host whose connection holds the listing (through the listing's live mapping).
     *
     * @throws ChannelCallException (401, not transient) when the listing's mapping names no live connection with a token
     */
    Host hostOfListing(String listingId) throws ChannelCallException {
        ChannelConnections.ListingHolder holder = connections.holderOfListing(AirbnbConnector.PLATFORM, listingId).orElseThrow(() -> new ChannelCallException(AirbnbConnector.PLATFORM, 401,
                "listing " + listingId + " has no live mapping with a channel connection, so no host OAuth token to call with;"
                        + " give its mapping a connection_id", null));
        return new Host(holder.accountId(), token(holder.connectionId(), holder.credentials()));
    }

    String tokenForListing(String listingId) throws ChannelCallException {
        return hostOfListing(listingId).token();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
