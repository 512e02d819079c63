package io.channelsync.sync;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * One circuit breaker per channel ({@link ChannelBreakers}), judged from the availability pushes of the
 * last {@code window}: transient failures (5xx, 429, timeouts, connection errors) count as failed calls;
 * any other answer, a permanent 4xx included, proves the channel is up.
 *
 * @param failureRate       percentage of failed calls in the window that opens the breaker
 *                          ({@code CHANNEL_SYNC_CIRCUIT_BREAKER_FAILURE_RATE})
 * @param minimumCalls      calls the window must hold before the rate counts, so a few failing jobs of one
 *                          listing never open it ({@code CHANNEL_SYNC_CIRCUIT_BREAKER_MINIMUM_CALLS})
 * @param window            how far back calls are counted (whole seconds; {@code CHANNEL_SYNC_CIRCUIT_BREAKER_WINDOW})
 * @param waitInOpen        how long the breaker stays open before one probe (the oldest held job) is let
 *                          through ({@code CHANNEL_SYNC_CIRCUIT_BREAKER_WAIT_IN_OPEN})
 * @param probeTimeout      a half-open breaker whose probe did not report back within this opens again, and
 *                          probes anew after {@code waitInOpen}
 * @param degradedRate      percentage of failed calls in the window from which a closed channel is
 *                          {@code degraded} rather than {@code healthy} ({@code CHANNEL_SYNC_CIRCUIT_BREAKER_DEGRADED_RATE})
 * @param resumeBatch       most held jobs resumed (held -> pending) in one statement when the channel is back
 */
@Validated
@ConfigurationProperties("channel-sync.circuit-breaker")
public record CircuitBreakerProperties(@DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRate,
                                       @DefaultValue("20") @Min(1) int minimumCalls,
                                       @DefaultValue("60s") Duration window,
                                       @DefaultValue("30s") Duration waitInOpen,
                                       @DefaultValue("2m") Duration probeTimeout,
                                       @DefaultValue("10") @DecimalMin("0") @DecimalMax("100") float degradedRate,
                                       @DefaultValue("1000") @Min(1) int resumeBatch) {
}
