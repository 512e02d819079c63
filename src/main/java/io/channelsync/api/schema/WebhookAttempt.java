package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;

/** One processing attempt of an inbound event. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookAttempt(int attemptNumber, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                             String outcome, String error) {
}
