package io.channelsync.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.sync.SyncJobWorker;
import io.channelsync.sync.SyncStateMachine;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The steps of the {@code dead-letter-store} route ({@code direct:dead-letter}), shared by sync jobs
 * and webhook deliveries. The route expects header {@code deadLetterSource} ({@code sync} or
 * {@code webhook}) and {@code syncJobId} or {@code webhookLogId}; the failure is the exchange's
 * caught exception.
 * <ul>
 * <li>{@link #prepare} turns the exchange into the named parameters of the camel-sql insert
 * (payload, headers without secrets, exception class/message/stack trace, attempts, first failure).</li>
 * <li>{@link #verifyStored} fails when the insert wrote nothing (the job or delivery was not in a
 * state that can be dead-lettered), so that case is not silent either.</li>
 * <li>{@link #storeFailed} is the catch of the route: Camel's dead-letter channel would swallow a
 * failure of its own (CAMEL-NOTES 5), so it logs it at ERROR with the payload and keeps the job
 * visible as {@code failed} (a webhook delivery as {@code failed}).</li>
 * </ul>
 */
@Component("deadLetterStore")
public class DeadLetterStore {

    public static final String SOURCE_HEADER = "deadLetterSource";
    public static final String WEBHOOK_HEADER = "webhookLogId";
    /** Exchange property a failing route may set to the time of its first failure (webhook side). */
    public static final String FIRST_FAILURE_PROPERTY = "deadLetterFirstFailureAt";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(auth|secret|token|signature|password|cookie|api-?key).*");

    private final ObjectMapper json;
    private final SyncStateMachine states;
    private final JdbcTemplate jdbc;

    public DeadLetterStore(ObjectMapper json, SyncStateMachine states, JdbcTemplate jdbc) {
        this.json = json;
        this.states = states;
        this.jdbc = jdbc;
    }

    public void prepare(Exchange exchange) throws JsonProcessingException {
        String source = exchange.getMessage().getHeader(SOURCE_HEADER, String.class);
        if (!"sync".equals(source) && !"webhook".equals(source)) {
            throw new IllegalArgumentException("header " + SOURCE_HEADER + " must be sync or webhook, got " + source);
        }
        Throwable failure = failure(exchange);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", source);
        p.put("sourceRoute", exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId());
        p.put("syncJobId", exchange.getMessage().getHeader("syncJobId", Long.class));
        // the fencing token of the failed attempt: a stale worker cannot dead-letter a job taken over
        SyncStateMachine.Claim claim = exchange.getProperty(SyncJobWorker.CLAIM, SyncStateMachine.Claim.class);
        p.put("syncLeaseToken", claim == null ? null : claim.token());
        p.put("webhookLogId", exchange.getMessage().getHeader(WEBHOOK_HEADER, Long.class));
        p.put("payload", payloadJson(exchange));
        p.put("headers", json.writeValueAsString(safeHeaders(exchange)));
        p.put("exceptionClass", failure == null ? null : failure.getClass().getName());
        p.put("exceptionMessage", failure == null ? "dead-lettered without an exception" : String.valueOf(failure.getMessage()));
        p.put("stackTrace", failure == null ? null : stackTrace(failure));
        int attempts = 1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        p.put("attemptCount", attempts);
        p.put("attempts", json.writeValueAsString(List.of(Map.of("attempts", attempts,
                "last_error", failure == null ? "" : String.valueOf(failure.getMessage())))));
        Object first = exchange.getProperty(FIRST_FAILURE_PROPERTY);
        p.put("firstFailureAt", (first == null ? Instant.ofEpochMilli(exchange.getClock().getCreated()) : first).toString());
        exchange.setProperty("deadLetterParams", p);
        exchange.getMessage().setBody(p);
    }

    /** After the insert: the statement returns the new row; none means nothing was stored. */
    public void verifyStored(Exchange exchange) {
        List<?> rows = exchange.getMessage().getBody(List.class);
        if (rows == null || rows.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = exchange.getProperty("deadLetterParams", Map.class);
            throw new IllegalStateException("no dead letter written: " + describe(p)
                    + " is not in a state that can be dead-lettered (or does not exist)");
        }
        Object id = ((Map<?, ?>) rows.get(0)).get("id");
        exchange.getMessage().setHeader("deadLetterId", id);
        log.warn("Dead letter {} stored for {}", id, describe(exchange.getProperty("deadLetterParams", Map.class)));
    }

    /** The dead-letter store itself failed: never silent. */
    public void storeFailed(Exchange exchange) {
        Throwable storeFailure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> p = exchange.getProperty("deadLetterParams", Map.class);
        String source = exchange.getMessage().getHeader(SOURCE_HEADER, String.class);
        Long jobId = exchange.getMessage().getHeader("syncJobId", Long.class);
        Long webhookLogId = exchange.getMessage().getHeader(WEBHOOK_HEADER, Long.class);
        log.error("DEAD LETTER NOT STORED for {} {} (original failure: {}; payload: {}): {}",
                source, jobId != null ? "sync job " + jobId : "webhook delivery " + webhookLogId,
                p == null ? "?" : p.get("exceptionMessage"), p == null ? exchange.getMessage().getBody(String.class) : p.get("payload"),
                storeFailure == null ? "?" : storeFailure.toString(), storeFailure);
        String reason = "dead-letter store failed: " + (storeFailure == null ? "?" : storeFailure.getMessage())
                + (p == null ? "" : "; original failure: " + p.get("exceptionMessage"));
        try {
            if ("sync".equals(source) && jobId != null) {
                states.failBecauseDeadLetterNotStored(jobId, reason);
            } else if (webhookLogId != null) {
                jdbc.update("update webhook_log set status = 'failed', error = ?, updated_at = now() where id = ? and status in ('received', 'queued')",
                        reason.length() > 2000 ? reason.substring(0, 2000) : reason, webhookLogId);
            }
        } catch (RuntimeException e) {
            log.error("Could not mark {} {} failed after the dead-letter store failed", source, jobId != null ? jobId : webhookLogId, e);
        }
    }

    private static Throwable failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    /** The message body as JSON: JSON text as it is, anything else as {"body": "..."}. */
    private String payloadJson(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return "null";
        }
        String text = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(body);
        try {
            json.readTree(text);
            return text.isBlank() ? "null" : text;
        } catch (JsonProcessingException notJson) {
            return json.writeValueAsString(Map.of("body", text));
        }
    }

    private static Map<String, Object> safeHeaders(Exchange exchange) {
        Map<String, Object> out = new TreeMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (!SECRET_HEADER.matcher(name).matches() && value != null
                    && (value instanceof CharSequence || value instanceof Number || value instanceof Boolean)) {
                out.put(name, value.toString());
            }
        });
        return out;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        String s = out.toString();
        return s.length() > 20000 ? s.substring(0, 20000) : s;
    }

    private static String describe(Map<?, ?> p) {
        if (p == null) {
            return "?";
        }
        return "sync".equals(p.get("source")) ? "sync job " + p.get("syncJobId") : "webhook delivery " + p.get("webhookLogId");
    }
}
