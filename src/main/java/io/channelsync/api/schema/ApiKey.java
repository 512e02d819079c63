package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An agency's API key: {@code key} (the plaintext) only in the answer that issues it, never again. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiKey(UUID id, UUID agencyId, String key, String keyPrefix, OffsetDateTime createdAt,
                     OffsetDateTime revokedAt) {
}
