package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** An endpoint that receives signed events; {@code secret} (whsec_...) only in the answer that creates it. {@code status} is active or failing. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Subscription(UUID id, UUID agencyId, String kind, String url, List<String> eventTypes,
                           String description, String status, OffsetDateTime failingSince,
                           OffsetDateTime lastSuccessAt, OffsetDateTime lastFailureAt, String lastError,
                           OffsetDateTime createdAt, OffsetDateTime updatedAt, String secret) {
}
