package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One event to one subscription; {@code data} (the event) and {@code attempts} only on {@code GET /api/v1/deliveries/{id}} and redeliver. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Delivery(long id, UUID subscriptionId, UUID eventId, String eventType, String status,
                       int attemptCount, OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError,
                       Long redeliveryOf, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                       OffsetDateTime deliveredAt, JsonNode data, List<DeliveryAttempt> attempts) {
}
