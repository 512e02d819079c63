package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;

/** One call of a sync job to its channel. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SyncAttempt(int attemptNumber, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                          String outcome, Integer httpStatus, String error) {
}
