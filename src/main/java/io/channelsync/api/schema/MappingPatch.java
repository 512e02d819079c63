package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.UUID;

/**
 * {@code PATCH /api/v1/channel-mappings/{id}}: any of the fields of
 * {@link io.channelsync.mapping.MappingRequest}, none required; they replace the stored ones, then the whole is checked.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MappingPatch(UUID propertyId, UUID connectionId, String platform, String listingId, String roomId,
                           String ratePlanId, Boolean syncEnabled) {
}
