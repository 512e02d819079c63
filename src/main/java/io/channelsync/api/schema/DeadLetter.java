package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A dead letter; {@code payload}, {@code headers}, {@code stack_trace} and {@code attempts} only on {@code GET /api/v1/deadletters/{id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetter(long id, String source, String sourceRoute, Long syncLogId, Long webhookLogId,
                         UUID agencyId, String platform, String status, String exceptionClass,
                         String exceptionMessage, int attemptCount, OffsetDateTime firstFailureAt,
                         OffsetDateTime deadletteredAt, int requeueCount, OffsetDateTime requeuedAt,
                         OffsetDateTime discardedAt, JsonNode payload, JsonNode headers, String stackTrace,
                         List<JsonNode> attempts) {
}
