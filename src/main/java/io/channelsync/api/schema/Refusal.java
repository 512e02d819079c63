package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An item a batch left alone, and why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Refusal(long id, String message) {
}
