package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A sync job (one push to one channel mapping); {@code attempts} only on {@code GET /api/v1/sync/jobs/{id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SyncJob(long id, UUID agencyId, UUID mappingId, UUID propertyId, String platform,
                      String listingId, String roomId, String operation, String status, JsonNode payload,
                      int retryCount, int maxRetries, OffsetDateTime triggeredAt, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt, OffsetDateTime deadletterAt, String lastError,
                      OffsetDateTime updatedAt, List<SyncAttempt> attempts) {
}
