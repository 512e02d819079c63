package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** {@code PUT /api/v1/properties/{id}/availability}: the days stored and the sync jobs that push them. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AvailabilityUpdate(UUID propertyId, int daysUpdated, LocalDate from, LocalDate to,
                                 List<Long> syncJobIds) {
}
