package io.channelsync.observability;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Around every step of every route, puts the ids the exchange carries in its headers into the
 * logging MDC ({@link DomainMdc}), so one webhook, job or run can be followed through the log
 * ({@code grep 'job=42'}) without any route having to ask for it.
 */
@Component
public class DomainMdcInterceptStrategy implements InterceptStrategy {

    /** exchange header → MDC key */
    static final Map<String, String> HEADERS = Map.of(
            "webhookLogId", "webhook",
            "syncJobId", "job",
            "reconciliationRunId", "run",
            "deadLetterId", "deadletter");
    private static final String[] ID_HEADERS = HEADERS.keySet().toArray(String[]::new);

    /** A plain loop: this runs around every step of every route, and a stream here was a visible share of the intake. */
    private static boolean carriesAnId(Message message) {
        for (String header : ID_HEADERS) {
            if (message.getHeader(header) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                // every step of every route passes here: touch the MDC only when there is an id to show
                if (!carriesAnId(exchange.getMessage())) {
                    return super.process(exchange, callback);
                }
                Map<String, String> before = MDC.getCopyOfContextMap();
                HEADERS.forEach((header, key) -> DomainMdc.put(key, exchange.getMessage().getHeader(header)));
                try {
                    return super.process(exchange, callback);
                } finally {
                    DomainMdc.restore(before);
                }
            }
        };
    }
}
