package io.channelsync.sync;

import io.channelsync.alert.Alerts;
import io.channelsync.channel.ChannelFailures;
import io.channelsync.channel.Channels;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * One resilience4j circuit breaker per channel (platform), around every availability push
 * ({@link #call}). Closed, calls go through and are counted over {@code channel-sync.circuit-breaker.window};
 * when transient failures reach {@code failure-rate} of at least {@code minimum-calls} calls it opens: the
 * channel is down, calls are refused ({@link CallNotPermittedException}) and the jobs are held (status
 * {@code held}, retries kept). After {@code wait-in-open} it goes half-open and lets ONE call through, the probe:
 * the oldest held job is resumed for it. The probe succeeding closes the breaker and every held job of the
 * channel is resumed, oldest first; failing, it opens again. Opening raises {@code channel_down}, closing
 * {@code channel_up} (channel-wide alerts: no agency).
 * <p>
 * Why resilience4j's registry rather than Camel's {@code circuitBreaker} EIP: the EIP holds one breaker per
 * route node, while channels are discovered from their connectors ({@link Channels}), so a breaker per channel
 * comes from a registry keyed by platform, created on first use with one configuration. The breakers live in
 * this instance's memory; the held jobs live in the database, and {@link #resumeWhereClosed} (the
 * {@code sync-recovery} sweep) resumes those of any channel this instance sees closed, so a restart, or another
 * instance that reaches the channel, never leaves them held.
 */
@Component("channelBreakers")
public class ChannelBreakers {

    public enum Health { healthy, degraded, down }

    private static final Logger log = LoggerFactory.getLogger(ChannelBreakers.class);

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerProperties config;
    private final Channels channels;
    private final Alerts alerts;
    private final SyncStateMachine states;
    private final SyncJobs jobs;

    public ChannelBreakers(CircuitBreakerProperties config, Channels channels, Alerts alerts, SyncStateMachine states,
                           SyncJobs jobs) {
        this.config = config;
        this.channels = channels;
        this.alerts = alerts;
        this.states = states;
        this.jobs = jobs;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, config.window().toSeconds()))
                .minimumNumberOfCalls(config.minimumCalls())
                .failureRateThreshold(config.failureRate())
                .waitDurationInOpenState(config.waitInOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(config.probeTimeout())
                // a permanent 4xx is an answer: the channel is up (not recorded = counted as a success)
                .recordException(ChannelFailures::isTransient)
                .writableStackTraceEnabled(false)
                .build());
        registry.getEventPublisher().onEntryAdded(added -> {
            CircuitBreaker breaker = added.getAddedEntry();
            breaker.getEventPublisher().onStateTransition(this::transition);
        });
    }

    /** The channel is down: its breaker refused the call, or this call's transient failure found it open. */
    public static class ChannelDown extends Exception {
        public ChannelDown(String platform, Throwable failure) {
            super(platform + " is down (circuit breaker open)" + (failure == null ? ": not called" : ""), failure);
        }

        /** Whether the channel was called (and failed) before the breaker was found open. */
        public boolean called() {
            return getCause() != null;
        }
    }

    /**
     * Makes the channel call through the platform's breaker.
     *
     * @throws ChannelDown the breaker is open: no call was made, or this one failed transiently and the breaker is
     *                     open now (the caller holds the job instead of retrying it)
     * @throws Exception   any other failure of the call, as it was thrown
     */
    public <T> T call(String platform, Callable<T> call) throws Exception {
        CircuitBreaker breaker = registry.circuitBreaker(platform);
        try {
            return breaker.executeCallable(call);
        } catch (CallNotPermittedException open) {
            throw new ChannelDown(platform, null);
        } catch (Exception failure) {
            if (ChannelFailures.isTransient(failure) && breaker.getState() != CircuitBreaker.State.CLOSED) {
                throw new ChannelDown(platform, failure);
            }
            throw failure;
        }
    }

    /** Whether the platform's breaker lets calls through as usual (closed; a channel never called is closed). */
    public boolean isClosed(String platform) {
        return state(platform) == CircuitBreaker.State.CLOSED;
    }

    public CircuitBreaker.State state(String platform) {
        return registry.find(platform).map(CircuitBreaker::getState).orElse(CircuitBreaker.State.CLOSED);
    }

    /** healthy, degraded or down, judged from the breaker's state and the calls in its window. */
    public Health health(String platform) {
        Optional<CircuitBreaker> breaker = registry.find(platform);
        if (breaker.isEmpty()) {
            return Health.healthy;
        }
        if (breaker.get().getState() != CircuitBreaker.State.CLOSED) {
            return Health.down;
        }
        CircuitBreaker.Metrics m = breaker.get().getMetrics();
        return judge(m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls());
    }

    /** The same judgement for any set of recent calls (a connection's): down from the breaker's threshold. */
    public Health judge(long calls, long failed) {
        float rate = rate(calls, failed);
        if (calls >= config.minimumCalls() && rate >= config.failureRate()) {
            return Health.down;
        }
        return failed > 0 && rate >= config.degradedRate() ? Health.degraded : Health.healthy;
    }

    static float rate(long calls, long failed) {
        return calls == 0 ? 0f : Math.round(1000f * failed / calls) / 10f;
    }

    /** The breaker's numbers for the health report: state, calls and failed calls in the window. */
    public Map<String, Object> circuit(String platform) {
        Map<String, Object> out = new LinkedHashMap<>();
        CircuitBreaker.State state = state(platform);
        out.put("circuit", state.name().toLowerCase());
        registry.find(platform).ifPresentOrElse(b -> {
            out.put("calls", b.getMetrics().getNumberOfBufferedCalls());
            out.put("failed_calls", b.getMetrics().getNumberOfFailedCalls());
        }, () -> {
            out.put("calls", 0);
            out.put("failed_calls", 0);
        });
        return out;
    }

    /**
     * Resumes the held jobs of every channel whose breaker is closed here, oldest first (the sweep's safety net:
     * jobs held by a process that restarted, or held just as the breaker closed). Returns how many.
     */
    public int resumeWhereClosed() {
        int resumed = 0;
        for (String platform : channels.platforms()) {
            if (isClosed(platform)) {
                resumed += resume(platform, config.resumeBatch(), false);
            }
        }
        return resumed;
    }

    private int resume(String platform, int limit, boolean probe) {
        List<Long> ids = states.resumeHeld(platform, limit, probe);
        if (!ids.isEmpty()) {
            log.info("Resumed {} held sync job(s) of {}, oldest first", ids.size(), platform);
            jobs.enqueueOrRelease(ids);
        }
        return ids.size();
    }

    private void transition(CircuitBreakerOnStateTransitionEvent event) {
        String platform = event.getCircuitBreakerName();
        switch (event.getStateTransition()) {
            case CLOSED_TO_OPEN -> {
                CircuitBreaker.Metrics m = registry.circuitBreaker(platform).getMetrics();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("platform", platform);
                details.put("calls", m.getNumberOfBufferedCalls());
                details.put("failed_calls", m.getNumberOfFailedCalls());
                details.put("failure_rate", m.getFailureRate());
                alerts.raise(null, null, Alerts.Severity.critical, "channel_down", platform + " is down: " + m.getNumberOfFailedCalls()
                        + " of its last " + m.getNumberOfBufferedCalls() + " calls failed; its sync jobs are held until a probe succeeds",
                        details);
            }
            // the probe: the oldest held job (a new job may take the one permitted call first; the rest stay held)
            case OPEN_TO_HALF_OPEN -> resume(platform, 1, true);
            case HALF_OPEN_TO_CLOSED -> {
                alerts.raise(null, null, Alerts.Severity.info, "channel_up", platform + " is back: a probe succeeded; its held sync jobs resume, oldest first",
                        Map.of("platform", platform));
                resume(platform, config.resumeBatch(), false);
            }
            default -> log.debug("Circuit breaker of {}: {}", platform, event.getStateTransition());
        }
    }

    /** Tests only: every breaker back to closed with empty windows. */
    public void reset() {
        registry.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }
}
