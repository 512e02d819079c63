package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** {@code POST /api/v1/deadletters/requeue}: the ids requeued and those refused, with why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RequeueResult(List<Long> requeued, List<Refusal> refused) {
}
