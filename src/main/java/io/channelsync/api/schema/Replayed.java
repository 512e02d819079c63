package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** {@code POST /api/v1/webhooks/replay}: the ids of the events queued again. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Replayed(List<Long> replayed) {
}
