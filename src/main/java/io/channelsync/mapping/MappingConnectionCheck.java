package io.channelsync.mapping;

import io.channelsync.api.ApiException;
import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.connection.ChannelConnection;
import io.channelsync.connection.ChannelConnections;
import io.channelsync.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides whether a mapping may name its listing: the mapping names a live connection of the
 * property's agency ({@code connection_id}), and the channel says the listing belongs to that
 * connection ({@link ListingOwnership}, one per channel). Refusals are 422 naming the field and rule:
 * {@code platform/required}, {@code connection_id/required}, {@code connection_id/unknown_connection},
 * {@code platform/platform_mismatch}, {@code listing_id/listing_not_owned}. A channel that cannot
 * answer the ownership question is a 502 ({@code channel_unavailable}): nothing is stored.
 * <p>
 * Mappings made before connections existed have none: they may still be changed (paused, moved to
 * another property) as long as their listing stays the same; naming a connection is then checked like
 * a new mapping.
 */
@Component
public class MappingConnectionCheck {

    private static final Logger log = LoggerFactory.getLogger(MappingConnectionCheck.class);

    private final ChannelConnections connections;
    private final Channels channels;

    public MappingConnectionCheck(ChannelConnections connections, Channels channels) {
        this.connections = connections;
        this.channels = channels;
    }

    /** The request with its platform: the one sent, else the connection's. */
    MappingRequest withPlatform(MappingRequest request, Caller caller) {
        if (request.connectionId() != null) {
            ChannelConnection connection = connections.find(request.connectionId(), caller).filter(c -> c.deletedAt() == null)
                    .orElseThrow(() -> unknownConnection(request.connectionId()));
            if (request.platform() == null) {
                return request.withPlatform(connection.platform());
            }
            if (!request.platform().equals(connection.platform())) {
                throw ApiException.invalidField("platform", "platform_mismatch", "platform is '" + request.platform()
                        + "' but connection " + connection.id() + " is a " + connection.platform() + " connection");
            }
            return request;
        }
        if (request.platform() == null) {
            throw ApiException.invalidField("platform", "required", "platform is required (or name a connection_id)");
        }
        return request;
    }

    /**
     * Checks the connection is the agency's and holds the listing.
     *
     * @param existing the stored mapping when changing one; null for a create
     */
    void check(MappingRequest request, UUID agencyId, ChannelMapping existing) {
        if (request.connectionId() == null) {
            boolean legacyUnchanged = existing != null && existing.connectionId() == null
                    && existing.platform().equals(request.platform()) && existing.listingId().equals(request.listingId())
                    && Objects.equals(existing.roomId(), request.roomId());
            if (!legacyUnchanged) {
                throw ApiException.invalidField("connection_id", "required",
                        "connection_id is required: the channel connection that owns listing " + request.listingId());
            }
            return;
        }
        ChannelConnection connection = connections.findLive(request.connectionId(), agencyId)
                .orElseThrow(() -> unknownConnection(request.connectionId()));
        if (existing != null && request.connectionId().equals(existing.connectionId())
                && existing.listingId().equals(request.listingId())) {
            return; // already checked when the listing was mapped with this connection
        }
        ListingOwnership channel = channels.find(connection.platform()).map(ChannelConnector::ownership).orElse(null);
        boolean owned;
        try {
            owned = channel != null && channel.owns(connection, request.listingId());
        } catch (IOException e) {
            log.warn("Ownership of {} listing {} could not be checked for connection {}: {}", connection.platform(),
                    request.listingId(), connection.id(), e.getMessage());
            throw new ApiException(502, "channel_unavailable", connection.platform() + " could not confirm who owns listing "
                    + request.listingId() + ": " + e.getMessage(),
                    e instanceof ChannelCallException call ? Map.of("channel_status", call.status()) : Map.of());
        }
        if (!owned) {
            log.info("{} listing {} is not held by connection {} (account {}): mapping refused", connection.platform(),
                    request.listingId(), connection.id(), connection.accountId());
            throw ApiException.invalidField("listing_id", "listing_not_owned", "listing " + request.listingId()
                    + " does not belong to channel connection " + connection.id());
        }
    }

    private static ApiException unknownConnection(UUID id) {
        return ApiException.invalidField("connection_id", "unknown_connection", "channel connection " + id + " does not exist");
    }
}
