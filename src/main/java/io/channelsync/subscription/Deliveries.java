package io.channelsync.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.alert.Alerts;
import io.channelsync.api.Rows;
import io.channelsync.security.Caller;
import io.channelsync.webhook.StandardWebhooksVerifier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivery of outgoing events: the steps of routes {@code subscription-dispatch} and
 * {@code subscription-delivery} (routes/subscriptions.camel.yaml), and the SQL of {@code deliveries}
 * and {@code delivery_attempts}.
 * <ol>
 * <li>{@link #fanOut}: new {@code events} become one {@code pending} delivery per matching subscription.</li>
 * <li>{@link #claimDue}: due deliveries become {@code delivering} under a new claim token (the queue's messages).</li>
 * <li>{@link #prepare}, {@link #send}, {@link #record}: one attempt. No transaction is open while the
 *     endpoint is called; the outcome is recorded under the claim token (a stale worker records nothing).</li>
 * </ol>
 * Request: {@code POST <url>}, {@code Content-Type: application/json}, Standard Webhooks headers
 * {@code webhook-id} (the event id, equal on every attempt and redelivery), {@code webhook-timestamp}
 * (unix seconds of the attempt) and {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">}), body {@code {"type", "timestamp", "data"}}. Any 2xx is delivered;
 * anything else is retried with exponential backoff ({@link SubscriptionProperties.Retry}); after the
 * last attempt the delivery is {@code failed} and the subscription marked {@code failing} and alerted,
 * never disabled.
 */
@Component("subscriptionDeliveries")
public class Deliveries {

    /** Header of a queued delivery id: the claim token it was claimed with. */
    public static final String CLAIM_TOKEN = "deliveryClaimToken";
    static final String PREPARED = "subscriptionDelivery";
    static final String OUTCOME = "subscriptionDeliveryOutcome";
    private static final int RESPONSE_SNIPPET = 1000;
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    static final String COLUMNS = """
            d.id, d.subscription_id, d.event_id, e.type as event_type, d.status, d.attempt_count,
            case when d.status in ('pending', 'retrying') then d.next_attempt_at end as next_attempt_at,
            d.last_status, d.last_error, d.redelivery_of, d.created_at, d.updated_at, d.delivered_at""";

    /** One attempt, ready to send. */
    record Prepared(long id, long token, int attempt, Subscriptions.Target target, UUID eventId, String eventType,
                    Long alertId, byte[] body) {
    }

    /** What the endpoint answered: a status, or an error (connection, timeout, refused address). */
    record Outcome(Instant startedAt, long durationMs, Integer status, String error, String responseBody) {
        boolean delivered() {
            return status != null && status / 100 == 2;
        }
    }

    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;
    private final Subscriptions subscriptions;
    private final SubscriptionUrls urls;
    private final SubscriptionProperties config;
    private final Alerts alerts;
    private final TransactionTemplate tx;
    private final HttpClient http;

    public Deliveries(NamedParameterJdbcTemplate sql, ObjectMapper json, Subscriptions subscriptions, SubscriptionUrls urls,
                      SubscriptionProperties config, Alerts alerts, TransactionTemplate tx) {
        this.sql = sql;
        this.json = json;
        this.subscriptions = subscriptions;
        this.urls = urls;
        this.config = config;
        this.alerts = alerts;
        this.tx = tx;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * New events → one delivery per subscription of the type: the event's agency's, the operators'
     * (agency null), or every one for a channel-wide event (agency null). One statement, so several
     * instances never fan out an event twice.
     */
    public void fanOut() {
        sql.update("""
                with batch as (
                    select id, type, agency_id from events where fanned_out_at is null
                    order by created_at limit :batch for update skip locked
                ), fanned as (
                    insert into deliveries (subscription_id, event_id)
                    select s.id, b.id from batch b
                    join subscriptions s on b.type = any(s.event_types)
                     and (s.agency_id is null or b.agency_id is null or s.agency_id = b.agency_id)
                )
                update events set fanned_out_at = now() where id in (select id from batch)""",
                Map.of("batch", config.batchSize()));
    }

    /** Due deliveries (and claims whose lease ran out) → {@code delivering} under a new token: [{id, token}]. */
    public List<Map<String, Object>> claimDue() {
        return sql.queryForList("""
                with due as (
                    select id from deliveries
                    where (status in ('pending', 'retrying') and next_attempt_at <= now())
                       or (status = 'delivering' and claimed_until < now())
                    order by next_attempt_at, id limit :batch for update skip locked
                )
                update deliveries d set status = 'delivering', claim_token = d.claim_token + 1, updated_at = now(),
                       claimed_until = now() + cast(:lease as bigint) * interval '1 millisecond'
                from due where d.id = due.id
                returning d.id, d.claim_token as token""",
                new MapSqlParameterSource("batch", config.batchSize()).addValue("lease", config.lease().toMillis()));
    }

    /** Loads the claimed delivery, its event and its target; none (property unset) if the claim is no longer ours. */
    public void prepare(Exchange exchange) throws IOException {
        long id = exchange.getIn().getBody(Long.class);
        long token = exchange.getIn().getHeader(CLAIM_TOKEN, Long.class);
        List<Map<String, Object>> rows = sql.queryForList("""
                select d.attempt_count, d.subscription_id, e.id as event_id, e.type, cast(e.data as text) as data, e.created_at
                from deliveries d join events e on e.id = d.event_id
                where d.id = :id and d.claim_token = :token and d.status = 'delivering'""",
                new MapSqlParameterSource("id", id).addValue("token", token));
        if (rows.isEmpty()) {
            log.info("Delivery {} is no longer claimed with token {}: skipped", id, token);
            return;
        }
        Map<String, Object> row = rows.get(0);
        JsonNode data = json.readTree((String) row.get("data"));
        ObjectNode body = json.createObjectNode();
        body.put("type", (String) row.get("type"));
        body.put("timestamp", ((Timestamp) row.get("created_at")).toInstant().toString());
        body.set("data", data);
        Subscriptions.Target target = subscriptions.target((UUID) row.get("subscription_id"));
        Long alertId = "alerts".equals(target.kind()) && data.hasNonNull("alert_id") ? data.get("alert_id").asLong() : null;
        exchange.setProperty(PREPARED, new Prepared(id, token, (Integer) row.get("attempt_count") + 1, target,
                (UUID) row.get("event_id"), (String) row.get("type"), alertId, json.writeValueAsBytes(body)));
    }

    /** POSTs the signed event; never throws for what the endpoint does (that is the outcome). No transaction is open. */
    public void send(Exchange exchange) {
        Prepared p = exchange.getProperty(PREPARED, Prepared.class);
        Instant started = Instant.now();
        // the alert webhook is the operator's own configuration; API subscriptions are checked again on every attempt
        Optional<String> refused = "alerts".equals(p.target().kind()) ? Optional.empty() : urls.refusal(p.target().url());
        Integer status = null;
        String error = null;
        String answer = null;
        if (refused.isPresent()) {
            error = "not sent: the url " + refused.get();
        } else {
            long timestamp = started.getEpochSecond();
            String webhookId = p.eventId().toString();
            HttpRequest request = HttpRequest.newBuilder(p.target().url())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "channel-sync")
                    .header(StandardWebhooksVerifier.ID, webhookId)
                    .header(StandardWebhooksVerifier.TIMESTAMP, Long.toString(timestamp))
                    .header(StandardWebhooksVerifier.SIGNATURE, StandardWebhooksVerifier.sign(p.target().secret(), webhookId, timestamp, p.body()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(p.body()))
                    .build();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                try (InputStream in = response.body()) {
                    answer = new String(in.readNBytes(RESPONSE_SNIPPET), StandardCharsets.UTF_8);
                }
                if (status / 100 != 2) {
                    error = "HTTP " + status;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted while delivering";
            } catch (IOException | IllegalArgumentException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        exchange.setProperty(OUTCOME, new Outcome(started, Instant.now().toEpochMilli() - started.toEpochMilli(), status, error, answer));
    }

    /** Records the attempt and the delivery's next state, and marks (and alerts) the subscription on a change, in one transaction. */
    public void record(Exchange exchange) {
        Prepared p = exchange.getProperty(PREPARED, Prepared.class);
        Outcome o = exchange.getProperty(OUTCOME, Outcome.class);
        boolean exhausted = !o.delivered() && p.attempt() >= config.retry().maxAttempts();
        String next = o.delivered() ? "succeeded" : exhausted ? "failed" : "retrying";
        tx.executeWithoutResult(status -> {
            int updated = sql.update("""
                    update deliveries set status = :next, attempt_count = :attempt, last_status = :status, last_error = :error,
                           next_attempt_at = now() + cast(:delay as bigint) * interval '1 millisecond', claimed_until = null,
                           delivered_at = case when :next = 'succeeded' then now() end, updated_at = now()
                    where id = :id and claim_token = :token and status = 'delivering'""",
                    new MapSqlParameterSource("id", p.id()).addValue("token", p.token()).addValue("next", next)
                            .addValue("attempt", p.attempt()).addValue("status", o.status()).addValue("error", o.error())
                            .addValue("delay", o.delivered() || exhausted ? 0 : config.retry().delayAfter(p.attempt()).toMillis()));
            if (updated == 0) {
                log.info("Delivery {} was claimed again meanwhile: attempt {} not recorded", p.id(), p.attempt());
                return;
            }
            sql.update("""
                    insert into delivery_attempts (delivery_id, attempt, attempted_at, duration_ms, status_code, error, response_body)
                    values (:id, :attempt, :at, :duration, :status, :error, :answer)""",
                    new MapSqlParameterSource("id", p.id()).addValue("attempt", p.attempt())
                            .addValue("at", Timestamp.from(o.startedAt())).addValue("duration", (int) Math.min(o.durationMs(), Integer.MAX_VALUE))
                            .addValue("status", o.status()).addValue("error", o.error()).addValue("answer", o.responseBody()));
            Subscriptions.Target target = p.target();
            if (p.alertId() != null) {
                sql.update(o.delivered() ? "update alerts set delivered_at = now(), delivery_error = null where id = :alert"
                        : "update alerts set delivery_error = :error where id = :alert",
                        new MapSqlParameterSource("alert", p.alertId()).addValue("error", o.error()));
            }
            if (o.delivered()) {
                if (subscriptions.succeeded(target.id())) {
                    alerts.raise(target.agencyId(), null, Alerts.Severity.info, "subscription_recovered",
                            "subscription " + target.id() + " (" + target.url().getHost() + ") delivers again",
                            details(p, o));
                }
            } else if (subscriptions.failed(target.id(), o.error(), exhausted)) {
                alerts.raise(target.agencyId(), null, Alerts.Severity.warning, "subscription_failing",
                        "subscription " + target.id() + " (" + target.url().getHost() + ") is failing: delivery " + p.id() + " of "
                                + p.eventType() + " failed " + p.attempt() + " times (" + o.error()
                                + "); it is kept and keeps receiving events", details(p, o));
            }
        });
        if (!o.delivered()) {
            log.debug("Delivery {} attempt {} to subscription {} failed: {} ({})", p.id(), p.attempt(), p.target().id(), o.error(), next);
        }
    }

    private static Map<String, Object> details(Prepared p, Outcome o) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subscription_id", p.target().id());
        details.put("url", p.target().url().toString());
        details.put("delivery_id", p.id());
        details.put("event_type", p.eventType());
        details.put("attempts", p.attempt());
        details.put("last_status", o.status());
        details.put("last_error", o.error());
        return details;
    }

    // --- the delivery log (API) ---

    public List<Map<String, Object>> list(Caller caller, UUID subscription, String status, String eventType, int limit, int offset) {
        return sql.query("select " + COLUMNS + """
                 from deliveries d join events e on e.id = d.event_id join subscriptions s on s.id = d.subscription_id
                where""" + " " + Subscriptions.VISIBLE + """
                 and (cast(:subscription as uuid) is null or d.subscription_id = :subscription)
                 and (cast(:status as text) is null or d.status = :status)
                 and (cast(:type as text) is null or e.type = :type)
                order by d.id desc limit :limit offset :offset""",
                Subscriptions.visibleTo(caller).addValue("subscription", subscription).addValue("status", status)
                        .addValue("type", eventType).addValue("limit", limit).addValue("offset", offset), Rows.json(json));
    }

    /** One delivery with the event's data and every attempt, if the caller may see it. */
    public Optional<Map<String, Object>> find(long id, Caller caller) {
        Optional<Map<String, Object>> found = sql.query("select " + COLUMNS + ", e.data from deliveries d join events e on e.id = d.event_id "
                + "join subscriptions s on s.id = d.subscription_id where d.id = :id and " + Subscriptions.VISIBLE,
                Subscriptions.visibleTo(caller).addValue("id", id), Rows.json(json)).stream().findFirst();
        found.ifPresent(delivery -> delivery.put("attempts", sql.query("""
                select attempt, attempted_at, duration_ms, status_code, error, response_body from delivery_attempts
                where delivery_id = :id order by attempt""", Map.of("id", id), Rows.json(json))));
        return found;
    }

    /** A new delivery of the same event to the same subscription; empty if the delivery is still under way. */
    public Optional<Long> redeliver(long id) {
        return sql.queryForList("""
                insert into deliveries (subscription_id, event_id, redelivery_of)
                select subscription_id, event_id, id from deliveries where id = :id and status in ('succeeded', 'failed')
                returning id""", Map.of("id", id), Long.class).stream().findFirst();
    }
}
