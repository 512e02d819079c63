package io.channelsync.subscription;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code PATCH /api/v1/subscriptions/{id}}: the fields sent replace the stored ones. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubscriptionUpdate(@Size(min = 1, max = 2048) String url, @Size(min = 1) List<String> eventTypes,
                                 @Size(max = 500) String description) {
}
