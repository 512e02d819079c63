package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.UUID;

/** {@code GET /api/v1/me}: who the presented key says you are. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Me(boolean operator, UUID agencyId, String keyPrefix) {
}
