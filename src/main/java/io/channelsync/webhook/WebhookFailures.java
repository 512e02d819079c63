package io.channelsync.webhook;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The end of a webhook event that kept failing (route {@code webhook-failed}, the dead-letter
 * channel of {@code webhook-processing}): the row ends {@code failed} with the error. The exception
 * stays on the exchange ({@link Exchange#EXCEPTION_CAUGHT}) for whatever the route does next.
 */
@Component("webhookFailures")
public class WebhookFailures {

    private static final Logger log = LoggerFactory.getLogger(WebhookFailures.class);
    private final WebhookLog webhookLog;

    public WebhookFailures(WebhookLog webhookLog) {
        this.webhookLog = webhookLog;
    }

    public void markFailed(Exchange exchange) {
        Long id = exchange.getIn().getHeader(WebhookQueue.LOG_ID, Long.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null ? "processing failed" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        log.error("Webhook {} failed after its redeliveries: {}", id, error, cause);
        if (id != null) {
            webhookLog.markFailed(id, error, null);
        }
    }
}
