package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;

/** One POST of a delivery to the endpoint. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryAttempt(int attempt, OffsetDateTime attemptedAt, long durationMs, Integer statusCode,
                              String error, String responseBody) {
}
