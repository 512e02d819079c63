package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** {@code POST /api/v1/reconciliation/runs}: the runs made, and the agencies skipped because a run was already going on. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReconciliationTriggered(List<ReconciliationRun> runs, List<SkippedAgency> skipped) {
}
