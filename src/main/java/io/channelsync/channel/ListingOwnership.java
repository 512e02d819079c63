package io.channelsync.channel;

import io.channelsync.api.ApiException;
import io.channelsync.connection.ChannelConnection;
import io.channelsync.connection.ConnectionRequest;

import java.io.IOException;

/**
 * A channel's part of channel connections: which account fields a connection needs, and whether a
 * listing belongs to a connection. A part of the channel's {@link ChannelConnector}, in the channel's folder.
 */
public interface ListingOwnership {

    /**
     * Checks the account fields of a new connection for this channel.
     *
     * @throws ApiException 422 naming the field and the rule
     */
    void checkConnection(ConnectionRequest request);

    /**
     * Whether the listing (Airbnb listing id, Booking.com hotel id) belongs to the connection's account.
     *
     * @throws IOException the channel could not answer (a {@link ChannelCallException} with its status)
     */
    boolean owns(ChannelConnection connection, String listingId) throws IOException;
}
