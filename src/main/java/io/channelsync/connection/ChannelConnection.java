package io.channelsync.connection;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A channel connection as stored and as the API shows it: never its credentials (those are read,
 * decrypted, only by the channel that calls with them: {@link ChannelConnections#credentials}).
 *
 * @param accountId      the account on the channel: the Airbnb host id; null for Booking.com
 * @param hotelIds       the Booking.com hotel ids (HotelCode) the connection holds; empty for Airbnb
 * @param hasCredentials whether credentials are stored (never what they are)
 * @param status         {@code active}, or {@code deleted} once deleted (soft delete)
 */
public record ChannelConnection(UUID id, UUID agencyId, String platform, String accountId, List<String> hotelIds,
                                boolean hasCredentials, String status, OffsetDateTime createdAt,
                                OffsetDateTime updatedAt, OffsetDateTime deletedAt) {
}
