package io.channelsync.observability;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the id of what an exchange is about (webhook, sync job, reconciliation run) into the
 * logging MDC around every step of every route, so one event can be followed through the log:
 * {@code grep 'job=42'}. The ids come from the exchange headers the routes already carry; the
 * combined key {@code ids} is what the log pattern prints.
 */
@Component
public class DomainMdcInterceptStrategy implements InterceptStrategy {

    /** exchange header → MDC key */
    static final Map<String, String> IDS = idsInLogOrder();
    static final String COMBINED = "ids";

    private static Map<String, String> idsInLogOrder() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("webhookLogId", "webhook");
        ids.put("syncJobId", "job");
        ids.put("reconciliationRunId", "run");
        ids.put("deadLetterId", "deadletter");
        return ids;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                Map<String, String> before = MDC.getCopyOfContextMap();
                apply(exchange);
                try {
                    return super.process(exchange, callback);
                } finally {
                    restore(before);
                }
            }
        };
    }

    static void apply(Exchange exchange) {
        StringBuilder combined = new StringBuilder();
        IDS.forEach((header, key) -> {
            Object value = exchange.getMessage().getHeader(header);
            if (value != null) {
                MDC.put(key, value.toString());
                combined.append(combined.isEmpty() ? "" : " ").append(key).append('=').append(value);
            }
        });
        if (!combined.isEmpty()) {
            MDC.put(COMBINED, combined.toString());
        }
    }

    private static void restore(Map<String, String> before) {
        if (before == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }
}
