package io.channelsync.sync;

import io.channelsync.channel.ChannelFailures;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.springframework.stereotype.Component;

/**
 * The {@code retryWhile} of the {@code sync-errors} route configuration: retry only a transient
 * failure ({@link ChannelFailures#isTransient}), and only while the job has retries left by its
 * own {@code max_retries} (the row's value, written from {@code channel-sync.retry.max-retries}
 * when the job was created). A permanent failure goes to the dead-letter channel at once.
 */
@Component("syncRetryWhile")
public class SyncRetryWhile implements Predicate {

    private final RetryProperties retry;

    public SyncRetryWhile(RetryProperties retry) {
        this.retry = retry;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null || !ChannelFailures.isTransient(failure)) {
            return false;
        }
        int used = exchange.getProperty(SyncJobWorker.RETRY_COUNT, 0, Integer.class);
        int allowed = exchange.getProperty(SyncJobWorker.MAX_RETRIES, retry.maxRetries(), Integer.class);
        return used < allowed;
    }
}
