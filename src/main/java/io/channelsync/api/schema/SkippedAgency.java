package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.UUID;

/** An agency a triggered reconciliation skipped, and why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SkippedAgency(UUID agencyId, String reason) {
}
