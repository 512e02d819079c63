package io.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.InboundEvent;
import io.channelsync.instance.Instances;
import io.channelsync.db.PostgresText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL on {@code webhook_log}. Status moves {@code received -> queued -> processed | failed | unmapped},
 * and {@code unmapped -> queued} once the listing is mapped;
 * {@code rejected} and {@code duplicate} rows are written as such on arrival and never move.
 * The intake statements run on the intake's own pool ({@link WebhookIntakePool}: getting a connection
 * waits at most {@code channel-sync.webhooks.db-timeout}) with the same query timeout, so a database
 * that cannot take the row makes the caller retry (503) instead of waiting.
 * <p>
 * What PostgreSQL refuses never reaches it ({@link PostgresText}): a NUL in the parsed payload, the headers
 * (a {@code %00} in the query string), the event id or type, or a reason is stored as U+FFFD; the raw
 * body ({@code bytea}) keeps the exact bytes. So such a delivery is stored, not answered 503 on every retry.
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
    private final Instances instances;

    public WebhookLog(WebhookIntakePool intakePool, NamedParameterJdbcTemplate sql, ObjectMapper json, WebhookProperties properties,
                      Instances instances) {
        JdbcTemplate bounded = new JdbcTemplate(intakePool.dataSource());
        bounded.setQueryTimeout((int) Math.max(1, properties.dbTimeout().toSeconds()));
        this.intake = new NamedParameterJdbcTemplate(bounded);
        this.sql = sql;
        this.json = json;
        this.instances = instances;
    }

    /**
     * Commits a genuine delivery as {@code received}, unless its event id is already held by a
     * non-rejected row: then nothing is inserted and empty is returned (the caller records a duplicate).
     * The row is owned by this instance (it goes onto this instance's memory queue next), so no other
     * instance's sweep takes it while this instance lives.
     */
    public Optional<Long> insertReceived(Delivery d) {
        List<Long> ids = intake.queryForList("""
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                         signature_valid, status, owner)
                values (:platform, :eventId, :eventType, :eventTime, cast(:headers as jsonb), :rawBody,
                        cast(:payload as jsonb), :signatureValid, 'received', :owner)
                on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing
                returning id""", params(d, null).addValue("owner", instances.id()), Long.class);
        return ids.stream().findFirst();
    }

    // --- Booking.com polled reservations (issue 10): stored and applied in one transaction by
    // BookingComReservationStore, so a polled row is never left 'received' for the recovery sweep ---

    /** The live (not rejected, not duplicate) row of an event id, if any. */
    public record Logged(long id, String status, String error) {
    }

    /** Inserts a polled event as {@code queued} inside the caller's transaction; empty if its event id is already logged. */
    public Optional<Long> insertPolled(Delivery d) {
        return sql.queryForList("""
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                         signature_valid, status)
                values (:platform, :eventId, :eventType, :eventTime, cast(:headers as jsonb), :rawBody,
                        cast(:payload as jsonb), :signatureValid, 'queued')
                on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing
                returning id""", params(d, null), Long.class).stream().findFirst();
    }

    /** The live row of an event, locked until the caller's transaction ends. */
    public Optional<Logged> lockLive(String platform, String eventId) {
        return sql.query("""
                select id, status, error from webhook_log
                where platform = :platform and event_id = :eventId and status not in ('rejected', 'duplicate')
                for update""", Map.of("platform", platform, "eventId", eventId),
                (rs, n) -> new Logged(rs.getLong("id"), rs.getString("status"), rs.getString("error"))).stream().findFirst();
    }

    /** failed -> queued, to apply the event once more (the channel delivered it again). */
    public boolean reopenFailed(long id) {
        return sql.update("update webhook_log set status = 'queued', updated_at = now() where id = :id and status = 'failed'",
                Map.of("id", id)) == 1;
    }

    /** Records a repeated delivery of an event already logged; it is never processed. */
    public long insertDuplicate(Delivery d) {
        return intake.queryForObject("""
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                         signature_valid, status, error)
                values (:platform, :eventId, :eventType, :eventTime, cast(:headers as jsonb), :rawBody,
                        cast(:payload as jsonb), :signatureValid, 'duplicate', 'event id already logged')
                returning id""", params(d, null), Long.class);
    }

    /** Records a refused delivery with the reason. Its content is not trusted: no event id, no payload. */
    public long insertRejected(String platform, Map<String, String> headers, byte[] rawBody, boolean signatureValid, String reason) {
        Delivery d = new Delivery(platform, null, null, null, headers, rawBody, null, signatureValid);
        return intake.queryForObject("""
                insert into webhook_log (platform, headers, raw_body, signature_valid, status, error)
                values (:platform, cast(:headers as jsonb), :rawBody, :signatureValid, 'rejected', :error)
                returning id""", params(d, reason), Long.class);
    }

    /** received -> queued, just before the id goes onto the queue. False if someone else took it. */
    public boolean markQueued(long id) {
        return sql.update("update webhook_log set status = 'queued', updated_at = now() where id = :id and status = 'received'",
                Map.of("id", id)) == 1;
    }

    /**
     * queued -> received with no owner: the queue was full, so nobody holds these rows; the next
     * recovery sweep of any instance takes them.
     */
    public void release(List<Long> ids) {
        if (!ids.isEmpty()) {
            sql.update("update webhook_log set status = 'received', owner = null, updated_at = now() where id in (:ids) and status = 'queued'",
                    Map.of("ids", ids));
        }
    }

    /**
     * Claims, for this instance, rows nobody live holds, marking them {@code queued} in the same
     * statement ({@code FOR UPDATE SKIP LOCKED}: two instances never claim the same row), oldest first:
     * <ul>
     * <li>rows whose owner is dead (two missed heartbeats, or stopped): at once;</li>
     * <li>{@code received} rows with no owner (released after a full queue, or requeued): at once;</li>
     * <li>{@code received} rows of a live owner (this one too) older than {@code receivedGrace}: its hand-over failed;</li>
     * <li>{@code queued} rows with no owner older than {@code unownedQueuedLease}: written by a version
     * that did not record owners (a rolling upgrade), which may still hold them in memory;</li>
     * <li>this instance's own {@code queued} rows older than that lease (a safety net: its exchange was lost).</li>
     * </ul>
     * Another live instance's {@code queued} rows are never taken: they are in its memory queue.
     */
    public List<Long> claimForRecovery(Duration receivedGrace, Duration unownedQueuedLease, int limit) {
        return sql.queryForList("""
                update webhook_log set status = 'queued', owner = :me, updated_at = now()
                where id in (select id from webhook_log
                             where status in ('received', 'queued')
                               and (not %s
                                    and (owner is not null or status = 'received'
                                         or updated_at < now() - make_interval(secs => :lease))
                                    or status = 'received' and updated_at < now() - make_interval(secs => :grace)
                                    or owner = :me and updated_at < now() - make_interval(secs => :lease))
                             order by id
                             limit :limit
                             for update skip locked)
                returning id""".formatted(Instances.LIVE), instances.liveParameters()
                .addValue("grace", receivedGrace.toMillis() / 1000.0)
                .addValue("lease", unownedQueuedLease.toMillis() / 1000.0)
                .addValue("limit", limit), Long.class);
    }

    /**
     * Reads a {@code queued} row without locking it, to decide what it means before any transaction
     * opens (a connector may call its channel for that: no channel call runs inside a transaction).
     */
    public Optional<InboundEvent> findQueued(long id) {
        return sql.query("""
                select id, platform, event_id, event_type, event_time, payload::text as payload, raw_body
                from webhook_log where id = :id and status = 'queued'""", Map.of("id", id), this::event).stream().findFirst();
    }

    /**
     * Locks a {@code queued} row for processing, inside the caller's transaction. False when the row
     * is already processed or failed, or another consumer holds it: exactly one consumer applies an event.
     */
    public boolean lockQueued(long id) {
        return !sql.queryForList("select id from webhook_log where id = :id and status = 'queued' for update skip locked",
                Map.of("id", id), Long.class).isEmpty();
    }

    private InboundEvent event(ResultSet rs, int n) throws SQLException {
        Timestamp time = rs.getTimestamp("event_time");
        return new InboundEvent(rs.getLong("id"), rs.getString("platform"), rs.getString("event_id"),
                rs.getString("event_type"), time == null ? null : time.toInstant(), readTree(rs.getString("payload")),
                rs.getBytes("raw_body"));
    }

    public void markProcessed(long id, String note) {
        sql.update("""
                update webhook_log set status = 'processed', error = :note, processed_at = now(), updated_at = now()
                where id = :id""", new MapSqlParameterSource("id", id).addValue("note", PostgresText.clean(note)));
    }

    /**
     * Parks an event whose reservation names a listing (and room) with no mapping yet: {@code unmapped},
     * waiting for that listing, inside the caller's transaction (issue 11.2).
     */
    public void markUnmapped(long id, String listingId, String roomId, String error) {
        sql.update("""
                update webhook_log set status = 'unmapped', owner = null, error = :error, unmapped_listing_id = :listing,
                                       unmapped_room_id = :room, processed_at = null, updated_at = now()
                where id = :id and status in ('received', 'queued')""", new MapSqlParameterSource("id", id)
                .addValue("error", PostgresText.clean(error)).addValue("listing", PostgresText.clean(listingId))
                .addValue("room", PostgresText.clean(roomId)));
    }

    /**
     * unmapped -> queued for every parked event whose listing (and room) now has a live mapping (only that
     * mapping's when {@code mappingId} is given), in the order the channel made them (event time, then arrival).
     * A row is released once however many callers race: the UPDATE re-checks the status under the row lock.
     */
    public List<Long> releaseUnmapped(java.util.UUID mappingId) {
        return sql.queryForList("""
                with released as (
                    update webhook_log w set status = 'queued', owner = :me, updated_at = now()
                      from channel_mappings m
                     where w.status = 'unmapped' and m.deleted_at is null
                       and m.platform = w.platform and m.listing_id = w.unmapped_listing_id
                       and coalesce(m.room_id, '') = coalesce(w.unmapped_room_id, '')
                       and (cast(:mapping as uuid) is null or m.id = cast(:mapping as uuid))
                    returning w.id, w.event_time)
                select id from released order by event_time nulls last, id""",
                new MapSqlParameterSource().addValue("mapping", mappingId, java.sql.Types.OTHER).addValue("me", instances.id()), Long.class);
    }

    /**
     * A page of parked ({@code unmapped}) events, oldest first: every one for an operator; for an agency, those whose
     * listing is held by one of its live channel connections ({@code channel_connection_hotels}: Booking.com hotels).
     */
    public List<Map<String, Object>> listUnmapped(boolean operator, java.util.UUID agencyId, String platform, String listingId,
                                                 int limit, int offset, org.springframework.jdbc.core.RowMapper<Map<String, Object>> rows) {
        return sql.query("""
                select w.id, w.platform, w.event_id, w.event_type, w.event_time, w.unmapped_listing_id as listing_id,
                       w.unmapped_room_id as room_id, w.error, w.created_at, w.updated_at
                  from webhook_log w
                 where w.status = 'unmapped'
                   and (cast(:platform as text) is null or w.platform = cast(:platform as text))
                   and (cast(:listing as text) is null or w.unmapped_listing_id = cast(:listing as text))
                   and (:operator or exists (
                        select 1 from channel_connections c join channel_connection_hotels h on h.connection_id = c.id
                         where c.agency_id = :agency and c.deleted_at is null and c.platform = w.platform
                           and h.hotel_id = w.unmapped_listing_id))
                 order by w.id
                 limit :limit offset :offset""", new MapSqlParameterSource("operator", operator)
                .addValue("agency", agencyId, java.sql.Types.OTHER).addValue("platform", platform, java.sql.Types.VARCHAR)
                .addValue("listing", listingId, java.sql.Types.VARCHAR).addValue("limit", limit).addValue("offset", offset), rows);
    }

    /** Ends a row {@code failed} with the error; a row already processed is left alone. */
    public void markFailed(long id, String error) {
        sql.update("""
                update webhook_log set status = 'failed', error = :error, processed_at = now(), updated_at = now()
                where id = :id and status in ('received', 'queued')""",
                new MapSqlParameterSource("id", id).addValue("error", PostgresText.clean(error)));
    }

    private MapSqlParameterSource params(Delivery d, String error) {
        try {
            return new MapSqlParameterSource()
                    .addValue("platform", PostgresText.clean(d.platform()))
                    .addValue("eventId", PostgresText.clean(d.eventId()))
                    .addValue("eventType", PostgresText.clean(d.eventType()))
                    .addValue("eventTime", d.eventTime() == null ? null : Timestamp.from(d.eventTime()))
                    .addValue("headers", json.writeValueAsString(d.headers() == null ? Map.of() : PostgresText.clean(d.headers())))
                    .addValue("rawBody", d.rawBody())
                    .addValue("payload", d.payload() == null ? null : json.writeValueAsString(PostgresText.clean(d.payload())))
                    .addValue("signatureValid", d.signatureValid())
                    .addValue("error", PostgresText.clean(error));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readTree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
