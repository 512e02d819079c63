package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** A channel's health and circuit (one for everyone); the numbers and connections are the caller's own (all for operators). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChannelHealth(String platform, String health, String circuit, long calls, long failedCalls,
                            double failureRate, long heldJobs, List<ConnectionHealth> connections) {
}
