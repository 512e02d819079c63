package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** An agency's account on a channel; credentials go in, never out ({@code has_credentials} only). {@code status} is active or deleted. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChannelConnection(UUID id, UUID agencyId, String platform, String accountId,
                                List<String> hotelIds, boolean hasCredentials, String status,
                                OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt) {
}
