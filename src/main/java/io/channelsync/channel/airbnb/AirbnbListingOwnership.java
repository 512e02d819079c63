package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.connection.ChannelConnection;
import io.channelsync.connection.ConnectionRequest;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * Airbnb connections and listing ownership. A connection is a host: {@code account_id} (the host's
 * user id, digits) and {@code credentials.oauth_token}. A listing belongs to it when Airbnb, asked
 * with the host's token, shows the listing and names that host as its owner:
 * <pre>
 * GET {base-url}/v2/listings/{listing_id}
 * X-Airbnb-API-Key, X-Airbnb-OAuth-Token: the host's
 * 200 {"listing": {"id": ..., "user_id": &lt;host&gt;, "user": {"id": &lt;host&gt;}, ...}}
 * </pre>
 * The owner is {@code listing.user_id}, else {@code listing.user.id} (docs/channels.md names the
 * evidence). A 403 or 404 means the host cannot see it as theirs: not owned. Other errors are the
 * channel's ({@link ChannelCallException}).
 */
@Component
public class AirbnbListingOwnership implements ListingOwnership {

    private final AirbnbApi api;
    private final ChannelHttp http;
    private final ObjectMapper json;

    public AirbnbListingOwnership(AirbnbApi api, ChannelHttp http, ObjectMapper json) {
        this.api = api;
        this.http = http;
        this.json = json;
    }


    @Override
    public void checkConnection(ConnectionRequest request) {
        String host = request.accountId();
        if (host == null || host.isBlank()) {
            throw ApiException.invalidField("account_id", "required", "account_id (the Airbnb host id) is required for airbnb");
        }
        if (!host.chars().allMatch(c -> c >= '0' && c <= '9') || host.charAt(0) == '0' || host.length() > 19) {
            throw ApiException.invalidField("account_id", "digits_only", "account_id (the Airbnb host id) is 1 to 19 digits, no leading zero");
        }
        if (request.credentials() == null || request.credentials().oauthToken() == null || request.credentials().oauthToken().isBlank()) {
            throw ApiException.invalidField("credentials.oauth_token", "required", "credentials.oauth_token (the host's OAuth token) is required for airbnb");
        }
        if (!request.hotelIdsOrEmpty().isEmpty()) {
            throw ApiException.invalidField("hotel_ids", "not_allowed", "hotel_ids are for Booking.com connections only");
        }
    }

    @Override
    public boolean owns(ChannelConnection connection, String listingId) throws IOException {
        var request = api.request("/v2/listings/" + AirbnbApi.enc(listingId), api.tokenOf(connection.id())).GET();
        JsonNode listing;
        try (InputStream in = http.call(AirbnbConnector.PLATFORM, "listing read of " + listingId, request,
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            listing = json.readTree(in).path("listing");
        } catch (ChannelCallException e) {
            if (e.status() == 403 || e.status() == 404) {
                return false;
            }
            throw e;
        }
        JsonNode owner = listing.hasNonNull("user_id") ? listing.get("user_id") : listing.path("user").path("id");
        return !owner.isMissingNode() && !owner.isNull() && owner.asText().equals(connection.accountId());
    }
}
