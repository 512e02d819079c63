package io.channelsync.observability;

import org.slf4j.MDC;

import java.util.List;
import java.util.Map;

/**
 * The ids of what a log line is about (webhook, sync job, reconciliation run, dead letter), kept
 * in the logging MDC under their own keys and combined under {@code ids}, which the log pattern
 * prints: {@code INFO [job=42] ...}. Camel steps get them from exchange headers
 * ({@link DomainMdcInterceptStrategy}); plain Java work opens a {@link #with scope}.
 */
public final class DomainMdc {

    /** MDC keys in the order they are printed. */
    static final List<String> KEYS = List.of("webhook", "job", "run", "deadletter");
    static final String COMBINED = "ids";

    private DomainMdc() {
    }

    /** Puts one id until the returned scope is closed, which restores what was there before. */
    public static Scope with(String key, Object value) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        put(key, value);
        return () -> restore(before);
    }

    static void put(String key, Object value) {
        if (value == null) {
            return;
        }
        MDC.put(key, value.toString());
        StringBuilder combined = new StringBuilder();
        for (String k : KEYS) {
            String v = MDC.get(k);
            if (v != null) {
                combined.append(combined.isEmpty() ? "" : " ").append(k).append('=').append(v);
            }
        }
        MDC.put(COMBINED, combined.toString());
    }

    static void restore(Map<String, String> before) {
        if (before == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }

    /** An MDC scope; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
