package io.channelsync.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.subscription.EventTypes;
import io.channelsync.subscription.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Raises an operator alert: an {@code alerts} row, a WARN log line, and an event {@code alert} in the
 * outbox, all on the caller's connection (inside its transaction, if it has one). The alert webhook
 * ({@code channel-sync.alerts.webhook-url}) is the subscription of kind {@code alerts}: it receives
 * every alert, signed and retried like every subscription, and its outcome is kept on the row
 * ({@code delivered_at}, or the last {@code delivery_error}). Kinds that are also events for the PMS
 * ({@link EventTypes#forAlertKind}: {@code channel_down}, {@code channel_up}, {@code double_booking})
 * go to the subscriptions of that type too. Nothing here calls out.
 * <p>
 * Event data: {@code {"alert_id", "agency_id", "run_id", "severity", "kind", "message", "created_at", "details": {...}}}.
 */
@Component
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Events events;

    public Alerts(JdbcTemplate jdbc, ObjectMapper json, Events events) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
    }

    public enum Severity { info, warning, critical }

    /** @return the new alert's id */
    public long raise(UUID agencyId, Long runId, Severity severity, String kind, String message, Map<String, Object> details) {
        var row = jdbc.queryForMap("""
                insert into alerts (agency_id, run_id, severity, kind, message, payload)
                values (?, ?, ?, ?, ?, cast(? as jsonb)) returning id, created_at""",
                agencyId, runId, severity.name(), kind, message, write(details));
        long id = ((Number) row.get("id")).longValue();
        log.warn("ALERT {} [{}] {} (alert {}, agency {}, run {})", severity, kind, message, id, agencyId, runId);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("alert_id", id);
        summary.put("agency_id", agencyId);
        summary.put("run_id", runId);
        summary.put("severity", severity.name());
        summary.put("kind", kind);
        summary.put("message", message);
        summary.put("created_at", row.get("created_at").toString());
        summary.put("details", details);
        events.record(EventTypes.ALERT, agencyId, summary);
        EventTypes.forAlertKind(kind).ifPresent(type -> events.record(type, agencyId, summary));
        return id;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
