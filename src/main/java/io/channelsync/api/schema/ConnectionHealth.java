package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.UUID;

/** One connection's calls on a channel in the breaker's window. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConnectionHealth(UUID connectionId, UUID agencyId, String health, long calls, long failedCalls,
                               double failureRate, long heldJobs) {
}
