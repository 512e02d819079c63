package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/** {@code POST /api/v1/sync/availability}: the sync jobs queued. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SyncTriggered(UUID propertyId, List<Long> jobIds, boolean full, String status) {
}
