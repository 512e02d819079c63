package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What became of one item: {@code requeued}, {@code discarded} or {@code queued} (replay). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusChange(long id, String status) {
}
