package io.channelsync.subscription;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Outgoing events ({@code channel-sync.subscriptions}).
 *
 * @param allowPrivateNetworks accept (and deliver to) URLs on loopback, private and link-local networks
 *                             ({@code CHANNEL_SYNC_SUBSCRIPTIONS_ALLOW_PRIVATE_NETWORKS}); false in production
 * @param dispatchInterval     how often the dispatch route fans new events out and hands due deliveries to the queue
 * @param batchSize            events fanned out, and deliveries claimed, per dispatch
 * @param consumers            concurrent consumers of {@code channel-sync.queues.deliveries} (attempts in flight)
 * @param timeout              one delivery attempt's connect + response time
 * @param lease                a claimed delivery not recorded within this is claimed again (its instance died)
 * @param retry                the backoff between attempts of one delivery
 */
@ConfigurationProperties("channel-sync.subscriptions")
public record SubscriptionProperties(@DefaultValue("false") boolean allowPrivateNetworks,
                                     @DefaultValue("1s") Duration dispatchInterval,
                                     @DefaultValue("100") int batchSize,
                                     @DefaultValue("4") int consumers,
                                     @DefaultValue("10s") Duration timeout,
                                     @DefaultValue("5m") Duration lease,
                                     @DefaultValue Retry retry) {

    /**
     * Attempt n (1-based) failed: the next waits {@code initialDelay × multiplier^(n-1)}, at most {@code maxDelay};
     * after {@code maxAttempts} the delivery is {@code failed} and its subscription marked {@code failing}.
     */
    public record Retry(@DefaultValue("5s") Duration initialDelay, @DefaultValue("3") double multiplier,
                        @DefaultValue("12h") Duration maxDelay, @DefaultValue("12") int maxAttempts) {

        public Retry {
            if (maxAttempts < 1 || multiplier < 1 || initialDelay.isNegative()) {
                throw new IllegalArgumentException("channel-sync.subscriptions.retry: max-attempts >= 1, multiplier >= 1, initial-delay >= 0");
            }
        }

        /** The wait after the failed attempt number {@code attempt}. */
        public Duration delayAfter(int attempt) {
            double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
            return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
        }
    }
}
