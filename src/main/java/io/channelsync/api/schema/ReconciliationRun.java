package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A reconciliation run; {@code discrepancies} only on {@code GET /api/v1/reconciliation/runs/{id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReconciliationRun(long id, UUID agencyId, String trigger, String status,
                                OffsetDateTime startedAt, OffsetDateTime finishedAt, RunCounts counts,
                                String error, List<ReconciliationDiscrepancy> discrepancies) {
}
