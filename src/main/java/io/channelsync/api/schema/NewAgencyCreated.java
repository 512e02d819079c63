package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.UUID;

/** {@code POST /api/v1/agencies}: the agency and its first key, whose plaintext {@code key} is shown in this answer only. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NewAgencyCreated(UUID id, String name, OffsetDateTime createdAt, ApiKey apiKey) {
}
