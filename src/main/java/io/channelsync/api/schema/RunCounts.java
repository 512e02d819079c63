package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What a reconciliation run compared and found. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunCounts(int pmsBookings, int channelBookings, int discrepancies, int mappingsFailed) {
}
