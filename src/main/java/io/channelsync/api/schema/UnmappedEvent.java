package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;

/** An inbound event for a listing no mapping names (yet). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UnmappedEvent(long id, String platform, String eventId, String eventType,
                            OffsetDateTime eventTime, String listingId, String roomId, String error,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
