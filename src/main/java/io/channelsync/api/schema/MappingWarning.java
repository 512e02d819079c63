package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A listing id rule the mapping was saved despite. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MappingWarning(String field, String rule, String message) {
}
