package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** {@code GET /api/v1/channels/health}: a page of channels and the breaker's window. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChannelHealthPage(List<ChannelHealth> items, int limit, int offset, Integer nextOffset,
                                long windowSeconds) {
}
