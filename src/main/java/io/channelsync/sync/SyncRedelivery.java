package io.channelsync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code onRedelivery} processor of the {@code sync-errors} route configuration, run after the
 * backoff and just before Camel re-runs the failed attempt: retrying -> running, retry_count + 1 and
 * a new {@code sync_attempts} row, in one transaction, under the fencing token of the attempt that
 * failed. If the job is no longer retrying under that token (the recovery sweep took it over, or an
 * operator requeued it) this exchange stops: another one owns the job now.
 */
@Component("syncRedelivery")
public class SyncRedelivery implements Processor {

    private static final Logger log = LoggerFactory.getLogger(SyncRedelivery.class);
    private final SyncStateMachine states;

    public SyncRedelivery(SyncStateMachine states) {
        this.states = states;
    }

    @Override
    public void process(Exchange exchange) {
        SyncStateMachine.Claim previous = exchange.getProperty(SyncJobWorker.CLAIM, SyncStateMachine.Claim.class);
        if (previous == null) {
            return; // the claim itself failed: it is retried as it is
        }
        long jobId = previous.jobId();
        states.resume(jobId, previous.token()).ifPresentOrElse(claim -> SyncJobWorker.remember(exchange, claim), () -> {
            log.warn("Sync job {} is no longer retrying under lease token {} (taken over, or requeued); redelivery {} dropped",
                    jobId, previous.token(), exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER));
            exchange.setRouteStop(true);
        });
    }
}
