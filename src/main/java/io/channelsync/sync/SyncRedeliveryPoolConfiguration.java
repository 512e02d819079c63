package io.channelsync.sync;

import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The scheduled pool the sync retries run on (issue 12, "backoff never blocks"). With
 * {@code asyncDelayedRedelivery} Camel waits out a backoff without a thread, but then runs the retry (its
 * database transactions and its channel call) on the error handler's executor. By default that is ONE pool
 * of the Camel context ({@code ErrorHandlerRedeliveryTask}, 10 threads) shared by every error handler: a
 * thousand jobs in backoff kept all ten busy with retries, which took the cores and the database from the
 * healthy jobs (measured: + 7.4 s p50). Route configuration {@code sync-errors} names this pool instead
 * ({@code executorServiceRef: syncRedeliveryPool}), so retries use at most {@code channel-sync.sync.retry-threads}
 * threads; a retry late because they are busy only waits longer than its backoff, which is a minimum.
 * Camel's executor service manager owns it (shut down with the context).
 */
@Configuration(proxyBeanMethods = false)
public class SyncRedeliveryPoolConfiguration {

    @Bean
    ScheduledExecutorService syncRedeliveryPool(CamelContext camel, SyncProperties sync) {
        return camel.getExecutorServiceManager().newScheduledThreadPool(this, "SyncRedelivery", sync.retryThreads());
    }
}
