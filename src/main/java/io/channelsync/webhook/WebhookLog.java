package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.InboundEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL on {@code webhook_log}. A genuine delivery is written {@code queued} (one round trip, grouped
 * with its concurrent neighbours by {@link WebhookCommits}) and moves to {@code processed | failed};
 * it waits as {@code received} only while the in-memory queue is full, until the recovery sweep
 * takes it. {@code rejected} and {@code duplicate} rows are written as such on arrival and never move.
 * The intake statements run with a query timeout ({@code channel-sync.webhooks.db-timeout}), so a
 * database that cannot take the row makes the caller retry (503) instead of waiting.
 */
@Component
public class WebhookLog {

    /** A delivery as the intake saw it, before it is stored. */
    public record Delivery(String platform, String eventId, String eventType, Instant eventTime,
                           Map<String, String> headers, byte[] rawBody, JsonNode payload, boolean signatureValid) {
    }

    private final NamedParameterJdbcTemplate intake;
    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;

    public WebhookLog(DataSource dataSource, NamedParameterJdbcTemplate sql, ObjectMapper json, WebhookProperties properties) {
        JdbcTemplate bounded = new JdbcTemplate(dataSource);
        bounded.setQueryTimeout((int) Math.max(1, properties.dbTimeout().toSeconds()));
        this.intake = new NamedParameterJdbcTemplate(bounded);
        this.sql = sql;
        this.json = json;
    }

    /**
     * A delivery ready to insert: JSON written to text by the request's own thread, so a batch's
     * writer only binds values.
     */
    public record Row(String platform, String eventId, String eventType, Timestamp eventTime, String headers, byte[] rawBody,
                      String payload, boolean signatureValid) {
    }

    public Row row(Delivery d) {
        try {
            return new Row(d.platform(), d.eventId(), d.eventType(), d.eventTime() == null ? null : Timestamp.from(d.eventTime()),
                    json.writeValueAsString(d.headers() == null ? Map.of() : d.headers()), d.rawBody(),
                    d.payload() == null ? null : json.writeValueAsString(d.payload()), d.signatureValid());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What became of one delivery of a batch: its new row's id (and whether it was written
     * {@code queued}, to be enqueued now, or {@code received}, for the backlog refill), or a
     * {@code duplicate} row (id null).
     */
    public record Stored(Long id, boolean queued) {
        public boolean duplicate() {
            return id == null;
        }
    }

    /**
     * Inserts a batch of genuine deliveries in one statement, inside the caller's transaction (the
     * group commit, {@link WebhookCommits}): the first {@code room} new rows straight as
     * {@code queued} (the in-memory queue takes that many now), the rest as {@code received}. A
     * delivery whose event id is already held by a non-rejected row, or by an earlier delivery of the
     * same batch, is recorded as a {@code duplicate} row instead (a second statement, only when there is one).
     *
     * @return one outcome per delivery, in the order given
     */
    public List<Stored> insert(List<Row> batch, int room) {
        Map<List<String>, Integer> firstOfKey = new HashMap<>();
        List<Row> fresh = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (firstOfKey.putIfAbsent(key(batch.get(i).platform(), batch.get(i).eventId()), i) == null) {
                fresh.add(batch.get(i));
            }
        }
        Object[] statuses = new Object[fresh.size()];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = i < room ? "queued" : "received";
        }
        Map<List<String>, Stored> stored = new HashMap<>();
        intake.query("""
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                         signature_valid, status)
                select platform, event_id, event_type, event_time, cast(headers as jsonb), raw_body, cast(payload as jsonb),
                       signature_valid, status
                from unnest(:platforms, :eventIds, :eventTypes, :eventTimes, :headers, :rawBodies, :payloads, :signatureValid,
                            :statuses)
                     as d(platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid, status)
                on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing
                returning id, platform, event_id, status""", arrays(fresh).addValue("statuses", new SqlArrayValue("text", statuses)),
                rs -> {
                    stored.put(key(rs.getString("platform"), rs.getString("event_id")),
                            new Stored(rs.getLong("id"), "queued".equals(rs.getString("status"))));
                });
        List<Stored> outcomes = new ArrayList<>(batch.size());
        List<Row> duplicates = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            List<String> key = key(batch.get(i).platform(), batch.get(i).eventId());
            Stored outcome = firstOfKey.get(key) == i ? stored.get(key) : null;
            outcomes.add(outcome == null ? new Stored(null, false) : outcome);
            if (outcome == null) {
                duplicates.add(batch.get(i));
            }
        }
        if (!duplicates.isEmpty()) {
            intake.update("""
                    insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                             signature_valid, status, error)
                    select platform, event_id, event_type, event_time, cast(headers as jsonb), raw_body, cast(payload as jsonb),
                           signature_valid, 'duplicate', 'event id already logged'
                    from unnest(:platforms, :eventIds, :eventTypes, :eventTimes, :headers, :rawBodies, :payloads, :signatureValid)
                         as d(platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid)""",
                    arrays(duplicates));
        }
        return outcomes;
    }

    private static List<String> key(String platform, String eventId) {
        return List.of(platform, eventId);
    }

    /** Records a refused delivery with the reason. Its content is not trusted: no event id, no payload. */
    public long insertRejected(String platform, Map<String, String> headers, byte[] rawBody, boolean signatureValid, String reason) {
        Delivery d = new Delivery(platform, null, null, null, headers, rawBody, null, signatureValid);
        return intake.queryForObject("""
                insert into webhook_log (platform, headers, raw_body, signature_valid, status, error)
                values (:platform, cast(:headers as jsonb), :rawBody, :signatureValid, 'rejected', :error)
                returning id""", params(d, reason), Long.class);
    }

    /** queued -> received: the queue was full; the recovery sweep will take them after the grace. */
    public void backToReceived(List<Long> ids) {
        sql.update("update webhook_log set status = 'received', updated_at = now() where id in (:ids) and status = 'queued'",
                Map.of("ids", ids));
    }

    /**
     * Claims rows a dead process (or a full queue) left behind, marking them {@code queued} in the
     * same statement; {@code FOR UPDATE SKIP LOCKED} means two instances never claim the same row.
     */
    public List<Long> claimForRecovery(Duration receivedGrace, Duration queuedLease, int limit) {
        return sql.queryForList("""
                update webhook_log set status = 'queued', updated_at = now()
                where id in (select id from webhook_log
                             where (status = 'received' and updated_at < now() - make_interval(secs => :grace))
                                or (status = 'queued' and updated_at < now() - make_interval(secs => :lease))
                             order by updated_at
                             limit :limit
                             for update skip locked)
                returning id""", new MapSqlParameterSource()
                .addValue("grace", receivedGrace.toMillis() / 1000.0)
                .addValue("lease", queuedLease.toMillis() / 1000.0)
                .addValue("limit", limit), Long.class);
    }

    /**
     * Locks a {@code queued} row for processing, inside the caller's transaction. Empty when the row
     * is already processed or failed, or another consumer holds it: exactly one consumer applies an event.
     */
    public Optional<InboundEvent> lockQueued(long id) {
        return sql.query("""
                select id, platform, event_id, event_type, event_time, payload::text as payload, raw_body
                from webhook_log where id = :id and status = 'queued'
                for update skip locked""", Map.of("id", id), (rs, n) -> {
            Timestamp time = rs.getTimestamp("event_time");
            return new InboundEvent(rs.getLong("id"), rs.getString("platform"), rs.getString("event_id"),
                    rs.getString("event_type"), time == null ? null : time.toInstant(), readTree(rs.getString("payload")),
                    rs.getBytes("raw_body"));
        }).stream().findFirst();
    }

    public void markProcessed(long id, String note) {
        sql.update("""
                update webhook_log set status = 'processed', error = :note, processed_at = now(), updated_at = now()
                where id = :id""", new MapSqlParameterSource("id", id).addValue("note", note));
    }

    /** Ends a row {@code failed} with the error; a row already processed is left alone. */
    public void markFailed(long id, String error) {
        sql.update("""
                update webhook_log set status = 'failed', error = :error, processed_at = now(), updated_at = now()
                where id = :id and status in ('received', 'queued')""",
                new MapSqlParameterSource("id", id).addValue("error", error));
    }

    private MapSqlParameterSource params(Delivery d, String error) {
        try {
            return new MapSqlParameterSource()
                    .addValue("platform", d.platform())
                    .addValue("eventId", d.eventId())
                    .addValue("eventType", d.eventType())
                    .addValue("eventTime", d.eventTime() == null ? null : Timestamp.from(d.eventTime()))
                    .addValue("headers", json.writeValueAsString(d.headers() == null ? Map.of() : d.headers()))
                    .addValue("rawBody", d.rawBody())
                    .addValue("payload", d.payload() == null ? null : json.writeValueAsString(d.payload()))
                    .addValue("signatureValid", d.signatureValid())
                    .addValue("error", error);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows as one array per column, for {@code unnest}: one statement text whatever the batch size. */
    private static MapSqlParameterSource arrays(List<Row> rows) {
        int n = rows.size();
        Object[] platforms = new Object[n], eventIds = new Object[n], eventTypes = new Object[n], eventTimes = new Object[n],
                headers = new Object[n], payloads = new Object[n], signatureValid = new Object[n];
        byte[][] rawBodies = new byte[n][]; // the driver binds bytea[] from byte[][] only
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            platforms[i] = r.platform();
            eventIds[i] = r.eventId();
            eventTypes[i] = r.eventType();
            eventTimes[i] = r.eventTime();
            headers[i] = r.headers();
            rawBodies[i] = r.rawBody();
            payloads[i] = r.payload();
            signatureValid[i] = r.signatureValid();
        }
        return new MapSqlParameterSource()
                .addValue("platforms", new SqlArrayValue("text", platforms))
                .addValue("eventIds", new SqlArrayValue("text", eventIds))
                .addValue("eventTypes", new SqlArrayValue("text", eventTypes))
                .addValue("eventTimes", new SqlArrayValue("timestamptz", eventTimes))
                .addValue("headers", new SqlArrayValue("text", headers))
                .addValue("rawBodies", new SqlArrayValue("bytea", (Object[]) rawBodies))
                .addValue("payloads", new SqlArrayValue("text", payloads))
                .addValue("signatureValid", new SqlArrayValue("bool", signatureValid));
    }

    private JsonNode readTree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
