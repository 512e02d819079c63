package io.channelsync.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Raises an operator alert: always an {@code alerts} row and a WARN log line; when
 * {@code channel-sync.alerts.webhook-url} is set, also a POST of the JSON summary to it, signed
 * ({@link AlertSigner}). Delivery is attempted once; the outcome is kept on the row
 * ({@code delivered_at}, or {@code delivery_error}). A failed delivery never fails the caller.
 * <p>
 * Webhook request: {@code POST {webhook-url}}, headers {@code Content-Type: application/json} and
 * {@code X-Channel-Sync-Signature: sha256=<hex HMAC-SHA256 of the body>}, body
 * {@code {"alert_id", "agency_id", "run_id", "severity", "kind", "message", "created_at", "details": {...}}}.
 * Any 2xx is delivered.
 */
@Component
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AlertProperties config;
    private final HttpClient http;

    public Alerts(JdbcTemplate jdbc, ObjectMapper json, AlertProperties config, ChannelProperties channels) {
        this.jdbc = jdbc;
        this.json = json;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(channels.connectTimeout()).build();
    }

    public enum Severity { info, warning, critical }

    /** @return the new alert's id */
    public long raise(UUID agencyId, Long runId, Severity severity, String kind, String message, Map<String, Object> details) {
        String detailsJson = write(details);
        var row = jdbc.queryForMap("""
                insert into alerts (agency_id, run_id, severity, kind, message, payload)
                values (?, ?, ?, ?, ?, cast(? as jsonb)) returning id, created_at""",
                agencyId, runId, severity.name(), kind, message, detailsJson);
        long id = ((Number) row.get("id")).longValue();
        log.warn("ALERT {} [{}] {} (alert {}, agency {}, run {})", severity, kind, message, id, agencyId, runId);
        if (config.webhookEnabled()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("alert_id", id);
            summary.put("agency_id", agencyId);
            summary.put("run_id", runId);
            summary.put("severity", severity.name());
            summary.put("kind", kind);
            summary.put("message", message);
            summary.put("created_at", row.get("created_at").toString());
            summary.put("details", details);
            deliver(id, write(summary).getBytes(StandardCharsets.UTF_8));
        }
        return id;
    }

    private void deliver(long alertId, byte[] body) {
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.webhookUrl()))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header(AlertSigner.HEADER, AlertSigner.sign(config.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                jdbc.update("update alerts set delivered_at = now(), delivery_error = null where id = ?", alertId);
                return;
            }
            error = "alert webhook answered HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted while delivering";
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        log.warn("Alert {} not delivered to the alert webhook: {}", alertId, error);
        jdbc.update("update alerts set delivery_error = ? where id = ?", error, alertId);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
