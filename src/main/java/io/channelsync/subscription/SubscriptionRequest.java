package io.channelsync.subscription;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/subscriptions}: {@code {"url", "event_types", "description", "agency_id"}}.
 *
 * @param eventTypes  some of {@link EventTypes#SUBSCRIBABLE}
 * @param agencyId    operators only: the agency whose events it receives; absent, an operator's subscription
 *                    receives the events of every agency. An agency key always subscribes its own agency.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubscriptionRequest(@NotBlank @Size(max = 2048) String url, @NotEmpty List<String> eventTypes,
                                  @Size(max = 500) String description, UUID agencyId) {
}
