package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A difference a run found between the PMS and a channel. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReconciliationDiscrepancy(long id, String kind, String severity, UUID mappingId, UUID propertyId,
                                        String reservationCode, JsonNode pmsValue, JsonNode channelValue,
                                        OffsetDateTime detectedAt) {
}
