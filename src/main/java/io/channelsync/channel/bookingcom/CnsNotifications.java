package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.alert.Alerts;
import io.channelsync.channel.InboundEvent;
import io.channelsync.webhook.WebhookQueue;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Booking.com CNS notification means to us. Its shape (Booking.com, "Managing notifications"):
 * {@code {"metadata": {"uuid", "type", "payloadVersion"}, "payload": {...}}}; notifications are alerts,
 * never the data itself. The intake takes {@code metadata.uuid} as the event id and {@code metadata.type}
 * as the event type; processing then decides, after the row is committed:
 * <ul>
 *   <li>a type in {@code channel-sync.webhooks.booking-com.poll-types} (about reservations) triggers an
 *       immediate reservation poll: the notification goes to {@value #POLL_NOW}, fire-and-forget
 *       (InOnly), body the notification JSON, headers {@value #TYPE}, {@value #UUID} and
 *       {@code webhookLogId};</li>
 *   <li>any other type is stored and raised as an operator alert (kind {@value #ALERT_KIND}).</li>
 * </ul>
 * Neither step can fail the event: the scheduled poll catches up with a poll that did not run.
 */
@Component
public class CnsNotifications {

    public static final String POLL_NOW = "direct:booking-com-poll-now";
    public static final String TYPE = "cnsNotificationType";
    public static final String UUID = "cnsNotificationUuid";
    public static final String ALERT_KIND = "booking_com_notification";
    private static final Logger log = LoggerFactory.getLogger(CnsNotifications.class);

    private final CnsProperties properties;
    private final ProducerTemplate camel;
    private final Alerts alerts;

    public CnsNotifications(CnsProperties properties, ProducerTemplate camel, Alerts alerts) {
        this.properties = properties;
        this.camel = camel;
        this.alerts = alerts;
    }

    /** Whether a parsed body is a CNS notification (it has a {@code metadata} object). */
    public static boolean isNotification(JsonNode body) {
        return body != null && body.path("metadata").isObject();
    }

    /** {@code metadata.uuid}, or null. */
    public static String uuid(JsonNode body) {
        return text(body.path("metadata").get("uuid"));
    }

    /** {@code metadata.type}, or null. */
    public static String type(JsonNode body) {
        return text(body.path("metadata").get("type"));
    }

    /** What processing records on the row, and what it does once the row is committed. */
    public record FollowUp(String note, Runnable afterCommit) {
    }

    public FollowUp followUp(InboundEvent event) {
        String type = event.eventType() == null ? "" : event.eventType();
        if (properties.pollTypes().contains(type)) {
            return new FollowUp("CNS " + type + ": reservation poll requested", () -> pollNow(event));
        }
        return new FollowUp("CNS " + type + ": raised as an alert", () -> alert(event));
    }

    /** Asks for an immediate reservation poll (fire-and-forget); a failure is logged, the scheduled poll catches up. */
    void pollNow(InboundEvent event) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(WebhookQueue.LOG_ID, event.id());
        headers.put(TYPE, event.eventType());
        headers.put(UUID, event.eventId());
        try {
            camel.sendBodyAndHeaders(POLL_NOW, ExchangePattern.InOnly, event.payload().toString(), headers);
            log.info("Booking.com notification {} ({}, webhook {}) asked for an immediate reservation poll",
                    event.eventId(), event.eventType(), event.id());
        } catch (RuntimeException e) {
            log.warn("Booking.com notification {} (webhook {}): the immediate reservation poll failed ({}); the scheduled poll catches up",
                    event.eventId(), event.id(), e.getMessage());
        }
    }

    private void alert(InboundEvent event) {
        JsonNode metadata = event.payload().path("metadata");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("webhook_log_id", event.id());
        details.put("uuid", event.eventId());
        details.put("type", event.eventType());
        details.put("payload_version", text(metadata.get("payloadVersion")));
        details.put("payload", event.payload().path("payload"));
        try {
            alerts.raise(null, null, Alerts.Severity.warning, ALERT_KIND,
                    "Booking.com notification " + event.eventType() + " received (" + event.eventId() + "): see its payload", details);
        } catch (RuntimeException e) {
            log.error("Booking.com notification {} ({}, webhook {}) could not be raised as an alert: {}",
                    event.eventId(), event.eventType(), event.id(), e.getMessage());
        }
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText().trim();
    }
}
