package io.channelsync.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pool the sync retries run on (issue 12, "backoff never blocks"). With {@code asyncDelayedRedelivery}
 * Camel waits out a backoff without a thread, but then runs the retry (its database transactions and its
 * channel call) on the error handler's executor. By default that is ONE scheduled pool of the Camel context
 * ({@code ErrorHandlerRedeliveryTask}, 10 threads) shared by every error handler: a thousand jobs in backoff
 * kept all ten busy with retries, which took the cores and the database from the healthy jobs. Route
 * configuration {@code sync-errors} names this thread pool profile instead ({@code executorServiceRef:
 * syncRedeliveryPool}), so retries use at most {@code channel-sync.sync.retry-threads} threads; a retry late
 * because they are busy only waits longer than its backoff, which is a minimum. A Camel profile, not a Spring
 * bean: an executor bean would switch off Spring Boot's task executor, which platform-http needs.
 */
@Configuration(proxyBeanMethods = false)
public class SyncRedeliveryPoolConfiguration {

    public static final String PROFILE = "syncRedeliveryPool";

    @Bean
    CamelContextConfiguration syncRedeliveryPoolProfile(SyncProperties sync) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(PROFILE)
                        .poolSize(sync.retryThreads()).maxPoolSize(sync.retryThreads()).build());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
