package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An agency. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Agency(UUID id, String name, OffsetDateTime createdAt) {
}
