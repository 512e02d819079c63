package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A property's listing (and room, rate plan) on a channel; {@code warnings} only on create and update, when the listing id looks unusual. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChannelMapping(UUID id, UUID agencyId, UUID propertyId, String platform, String listingId,
                             String roomId, String ratePlanId, UUID connectionId, boolean syncEnabled,
                             OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt,
                             List<MappingWarning> warnings) {
}
