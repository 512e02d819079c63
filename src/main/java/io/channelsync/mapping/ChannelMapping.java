package io.channelsync.mapping;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A channel mapping as stored and as the API shows it. {@code connectionId} is the channel connection
 * of the same agency that owns the listing (null only for mappings made before connections existed). {@code deleted_at} is set once the mapping is
 * deleted (soft delete): it no longer syncs, but its row, and the sync logs pointing at it, stay.
 */
public record ChannelMapping(UUID id, UUID agencyId, UUID propertyId, String platform, String listingId,
                             String roomId, String ratePlanId, UUID connectionId, boolean syncEnabled, OffsetDateTime createdAt,
                             OffsetDateTime updatedAt, OffsetDateTime deletedAt) {
}
