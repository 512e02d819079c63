package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A PMS property. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Property(UUID id, UUID agencyId, String name, String currency, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt) {
}
