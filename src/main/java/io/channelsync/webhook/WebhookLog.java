package io.channelsync.webhook;

import io.channelsync.observability.EventCounters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.InboundEvent;
import io.channelsync.instance.Instances;
import io.channelsync.db.PostgresText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * All SQL on {@code webhook_log}. A genuine delivery is written {@code queued}, owned by this instance (one
 * round trip, grouped with its concurrent neighbours by {@link WebhookCommits}), and moves to
 * {@code processed | failed | unmapped}, and {@code unmapped -> queued} once the listing is mapped; it waits as
 * {@code received} with no owner only while the in-memory queue is full ({@link #release}), until a recovery
 * sweep claims it. {@code rejected} and {@code duplicate} rows are written as such on arrival and never move.
 * The intake statements run on the intake's own pool ({@link WebhookIntakePool}: getting a connection
 * waits at most {@code channel-sync.webhooks.db-timeout}) with the same query timeout, so a database
 * that cannot take the row makes the caller retry (503) instead of waiting.
 * <p>
 * What PostgreSQL refuses never reaches it ({@link PostgresText}): a NUL in the parsed payload, the headers
 * (a {@code %00} in the query string), the event id or type, or a reason is stored as U+FFFD; the raw
 * body ({@code bytea}) keeps the exact bytes. So such a delivery is stored, not answered 503 on every retry.
 * <p>
 * A statement about one row by id writes its status condition as {@code (status ...) is true}: the same test, but
 * one PostgreSQL cannot match to a partial index on status ({@code webhook_log_waiting_idx}). With statistics taken
 * while nothing waited (a large table is analysed rarely), the planner took that index as nearly empty and read
 * every waiting row to find one id, once per event: the intake slowed as a backlog grew (issue 15's history bench).
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
    private final EventCounters counters;

    public WebhookLog(WebhookIntakePool intakePool, NamedParameterJdbcTemplate sql, ObjectMapper json, WebhookProperties properties,
                      Instances instances, EventCounters counters) {
        this.counters = counters;
        JdbcTemplate bounded = new JdbcTemplate(intakePool.dataSource());
        bounded.setQueryTimeout((int) Math.max(1, properties.dbTimeout().toSeconds()));
        this.intake = new NamedParameterJdbcTemplate(bounded);
        this.sql = sql;
        this.json = json;
        this.instances = instances;
    }

    /**
     * A delivery ready to insert: JSON written to text by the request's own thread, so a batch's
     * writer only binds values; every text value already cleaned of what PostgreSQL refuses ({@link PostgresText}).
     */
    public record Row(String platform, String eventId, String eventType, Timestamp eventTime, String headers, byte[] rawBody,
                      String payload, boolean signatureValid) {
    }

    public Row row(Delivery d) {
        MapSqlParameterSource p = params(d, null);
        return new Row((String) p.getValue("platform"), (String) p.getValue("eventId"), (String) p.getValue("eventType"),
                (Timestamp) p.getValue("eventTime"), (String) p.getValue("headers"), d.rawBody(), (String) p.getValue("payload"),
                d.signatureValid());
    }

    /** What became of one delivery of a batch: its new {@code queued} row's id, or a {@code duplicate} row (id null). */
    public record Stored(Long id) {
        public boolean duplicate() {
            return id == null;
        }
    }

    /**
     * Inserts a batch of genuine deliveries in one statement, inside the caller's transaction on the intake pool
     * (the group commit, {@link WebhookCommits}), straight as {@code queued} and owned by this instance (they go
     * onto this instance's memory queue right after the commit, so no other instance's sweep takes them while
     * it lives). A delivery whose event id is already held by a non-rejected row, or by an earlier delivery of
     * the same batch, is recorded as a {@code duplicate} row instead (a second statement, only when there is one).
     *
     * @return one outcome per delivery, in the order given
     */
    public List<Stored> insert(List<Row> batch) {
        Map<List<String>, Integer> firstOfKey = new HashMap<>();
        List<Row> fresh = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (firstOfKey.putIfAbsent(key(batch.get(i).platform(), batch.get(i).eventId()), i) == null) {
                fresh.add(batch.get(i));
            }
        }
        Map<List<String>, Stored> stored = new HashMap<>();
        intake.query("""
                insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload,
                                         signature_valid, status, owner)
                select platform, event_id, event_type, event_time, cast(headers as jsonb), raw_body, cast(payload as jsonb),
                       signature_valid, 'queued', :owner
                from unnest(:platforms, :eventIds, :eventTypes, :eventTimes, :headers, :rawBodies, :payloads, :signatureValid)
                     as d(platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid)
                on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing
                returning id, platform, event_id""", arrays(fresh).addValue("owner", instances.id()),
                rs -> {
                    stored.put(key(rs.getString("platform"), rs.getString("event_id")), new Stored(rs.getLong("id")));
                });
        List<Stored> outcomes = new ArrayList<>(batch.size());
        List<Row> duplicates = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            List<String> key = key(batch.get(i).platform(), batch.get(i).eventId());
            Stored outcome = firstOfKey.get(key) == i ? stored.get(key) : null;
            outcomes.add(outcome == null ? new Stored(null) : outcome);
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
        return java.util.Arrays.asList(platform, eventId); // an event id may be null: List.of refuses that
    }

    // --- Booking.com polled reservations (issue 10): stored and applied in one transaction by
    // BookingComReservationStore, so a polled row is never left 'received' for the recovery sweep ---

    /** The live (not rejected, not duplicate) row of an event id, if any. */
    public record Logged(long id, String status, String error) {
    }

    /** Inserts a polled event as {@code queued} inside the caller's transaction; empty if its event id is already logged. */
    public Optional<Long> insertPolled(Delivery d) {
        counters.webhook(d.platform(), "received");
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

    /** Records a refused delivery with the reason. Its content is not trusted: no event id, no payload. */
    public long insertRejected(String platform, Map<String, String> headers, byte[] rawBody, boolean signatureValid, String reason) {
        Delivery d = new Delivery(platform, null, null, null, headers, rawBody, null, signatureValid);
        counters.webhook(platform, "rejected");
        return intake.queryForObject("""
                insert into webhook_log (platform, headers, raw_body, signature_valid, status, error)
                values (:platform, cast(:headers as jsonb), :rawBody, :signatureValid, 'rejected', :error)
                returning id""", params(d, reason), Long.class);
    }

    /**
     * queued -> received with no owner: the queue was full, so nobody holds these rows; the next
     * recovery sweep of any instance takes them.
     */
    public void release(List<Long> ids) {
        if (!ids.isEmpty()) { // one array, not "in (:ids)": a list expands to one statement text (and plan) per length
            sql.update("update webhook_log set status = 'received', owner = null, updated_at = now() where id = any(:ids) and (status = 'queued') is true",
                    Map.of("ids", new SqlArrayValue("int8", ids.toArray())));
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
     * <p>
     * The candidates come from four lookups through the small indexes of waiting rows (released; owned by an
     * instance that is not live; received past the grace; past the lease, unless a live instance owns them), then
     * are locked by primary key and checked against the whole rule above. So the cost follows what there is to
     * claim, not the backlog: testing every waiting row (during a burst, this instance's own queue) took ~300 ms a
     * sweep at 60,000 waiting rows. {@code (status ...) is true}: a plain status test let PostgreSQL scan a partial
     * index of waiting rows instead of looking the candidates up.
     */
    public List<Long> claimForRecovery(Duration receivedGrace, Duration unownedQueuedLease, int limit) {
        return sql.queryForList("""
                update webhook_log set status = 'queued', owner = :me, updated_at = now()
                where id in (select id from webhook_log
                             where id = any(array(
                                     (%3$s)
                                     union all
                                     select id from webhook_log where status in ('received', 'queued') and owner = any(%1$s)
                                     union all
                                     select id from webhook_log where status = 'received'
                                                                  and updated_at < now() - make_interval(secs => :grace)
                                     union all
                                     select id from webhook_log where status in ('received', 'queued')
                                                                  and updated_at < now() - make_interval(secs => :lease)
                                                                  and not (%2$s and owner <> :me)))
                               and (status in ('received', 'queued')) is true
                               and (not %2$s
                                    and (owner is not null or status = 'received'
                                         or updated_at < now() - make_interval(secs => :lease))
                                    or status = 'received' and updated_at < now() - make_interval(secs => :grace)
                                    or owner = :me and updated_at < now() - make_interval(secs => :lease))
                             order by id
                             limit :limit
                             for update skip locked)
                returning id""".formatted(Instances.NOT_LIVE_IDS, Instances.LIVE, OLDEST_RELEASED), instances.liveParameters()
                .addValue("grace", receivedGrace.toMillis() / 1000.0)
                .addValue("lease", unownedQueuedLease.toMillis() / 1000.0)
                .addValue("limit", limit), Long.class);
    }

    /**
     * The refill's claim ({@link WebhookRecovery#refill}): rows a full queue released ({@code received}, no owner),
     * oldest first, for this instance, through their own small index (changeset 570). Only these: the sweep's
     * claim above also looks for rows of dead instances, failed hand-overs and stale leases, and testing every
     * waiting row's owner made it cost ~60 ms at a burst's backlog, while the refill claims many times a second.
     */
    public List<Long> claimReleased(int limit) {
        return sql.queryForList("""
                update webhook_log set status = 'queued', owner = :me, updated_at = now()
                where id in (%s for update skip locked)
                returning id""".formatted(OLDEST_RELEASED), new MapSqlParameterSource("me", instances.id()).addValue("limit", limit), Long.class);
    }

    /**
     * The oldest {@code :limit} rows a full queue released ({@code received}, no owner): the predicate of their index
     * (changeset 570), which both claims read.
     */
    private static final String OLDEST_RELEASED =
            "select id from webhook_log where status = 'received' and owner is null order by id limit :limit";

    /**
     * Reads a {@code queued} row without locking it, to decide what it means before any transaction
     * opens (a connector may call its channel for that: no channel call runs inside a transaction).
     */
    public Optional<InboundEvent> findQueued(long id) {
        return sql.query("""
                select id, platform, event_id, event_type, event_time, payload::text as payload, raw_body
                from webhook_log where id = :id and (status = 'queued') is true""", Map.of("id", id), this::event).stream().findFirst();
    }

    /**
     * Locks a {@code queued} row for processing, inside the caller's transaction. False when the row is
     * not queued (any more): exactly one consumer applies an event. It WAITS for a row another transaction
     * holds, then checks the status again: the holder may be a consumer finishing it (then false), but also a
     * recovery claim or a release of other rows that locked it in passing (PostgreSQL's re-check of a row
     * updated under a {@code FOR UPDATE SKIP LOCKED} claim keeps the row locked until that claim commits). Skipping
     * it then dropped the event, which stayed {@code queued} until the lease (5 min) ran out.
     */
    public boolean lockQueued(long id) {
        return !sql.queryForList("select id from webhook_log where id = :id and (status = 'queued') is true for update",
                Map.of("id", id), Long.class).isEmpty();
    }

    private InboundEvent event(ResultSet rs, int n) throws SQLException {
        Timestamp time = rs.getTimestamp("event_time");
        return new InboundEvent(rs.getLong("id"), rs.getString("platform"), rs.getString("event_id"),
                rs.getString("event_type"), time == null ? null : time.toInstant(), readTree(rs.getString("payload")),
                rs.getBytes("raw_body"));
    }

    /** Ends a row {@code processed}, with a note of what it changed and the listing it is about (null: left as it is). */
    public void markProcessed(long id, String note, String listingId) {
        sql.update("""
                update webhook_log w set status = 'processed', error = :note, processed_at = now(), updated_at = now(),
                """ + NOTE_LISTING + " where id = :id", new MapSqlParameterSource("id", id).addValue("note", PostgresText.clean(note))
                .addValue("listing", PostgresText.clean(listingId)));
    }

    /**
     * Set with an event's final status, in the same statement (one row version, not two: listing_id and agency_id are
     * indexed, so every update of the row writes every index): the listing the event is about and the agency of that
     * listing's live mapping, what the event log filters and scopes by. A null {@code :listing} keeps both.
     */
    private static final String NOTE_LISTING = """
            listing_id = coalesce(:listing, w.listing_id),
            agency_id = coalesce((select m.agency_id from channel_mappings m
                                   where m.platform = w.platform and m.listing_id = :listing and m.deleted_at is null
                                   limit 1), w.agency_id)""";

    /**
     * Parks an event whose reservation names a listing (and room) with no mapping yet: {@code unmapped},
     * waiting for that listing, inside the caller's transaction (issue 11.2).
     */
    /** @return whether no other event of this listing was parked already (the listing's first: it raises the alert) */
    public boolean markUnmapped(long id, String listingId, String roomId, String error) {
        List<Boolean> first = sql.queryForList("""
                update webhook_log w set status = 'unmapped', owner = null, error = :error, unmapped_listing_id = :listing,
                                       unmapped_room_id = :room, processed_at = null, updated_at = now(),
                """ + NOTE_LISTING + """
                where id = :id and (status in ('received', 'queued')) is true
                returning not exists (select 1 from webhook_log o where o.status = 'unmapped' and o.platform = w.platform
                                        and o.unmapped_listing_id = :listing and o.id <> w.id)""", new MapSqlParameterSource("id", id)
                .addValue("error", PostgresText.clean(error)).addValue("listing", PostgresText.clean(listingId))
                .addValue("room", PostgresText.clean(roomId)), Boolean.class);
        return !first.isEmpty() && first.get(0);
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
    public void markFailed(long id, String error, String listingId) {
        sql.update("""
                update webhook_log w set status = 'failed', error = :error, processed_at = now(), updated_at = now(),
                """ + NOTE_LISTING + """
                where id = :id and (status in ('received', 'queued')) is true""",
                new MapSqlParameterSource("id", id).addValue("error", PostgresText.clean(error)).addValue("listing", PostgresText.clean(listingId)));
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

    /** Every status a row can have. */
    public static final java.util.Set<String> STATUSES =
            java.util.Set.of("received", "queued", "processed", "failed", "rejected", "duplicate", "unmapped");
    /** What a replay takes: the events processing has finished with. */
    public static final java.util.Set<String> REPLAYABLE = java.util.Set.of("processed", "failed", "unmapped");

    /**
     * A filter of the event log (issue 14.1); null fields do not filter. {@code agencyId} is the operator's filter;
     * a caller that is not an operator ({@code caller} set) sees only the rows of its own agency.
     */
    public record Filter(String platform, String status, Instant from, Instant to, String listingId, UUID agencyId,
                         boolean operator, UUID caller) {
        MapSqlParameterSource parameters() {
            return new MapSqlParameterSource().addValue("platform", platform, java.sql.Types.VARCHAR)
                    .addValue("status", status, java.sql.Types.VARCHAR)
                    .addValue("from", from == null ? null : from.atOffset(java.time.ZoneOffset.UTC))
                    .addValue("to", to == null ? null : to.atOffset(java.time.ZoneOffset.UTC))
                    .addValue("listing", listingId, java.sql.Types.VARCHAR).addValue("agency", agencyId, java.sql.Types.OTHER)
                    .addValue("operator", operator).addValue("caller", caller, java.sql.Types.OTHER);
        }
    }

    private static final String FILTER = """
            (cast(:platform as text) is null or w.platform = cast(:platform as text))
              and (cast(:status as text) is null or w.status = cast(:status as text))
              and (cast(:from as timestamptz) is null or w.created_at >= cast(:from as timestamptz))
              and (cast(:to as timestamptz) is null or w.created_at < cast(:to as timestamptz))
              and (cast(:listing as text) is null or w.listing_id = cast(:listing as text))
              and (cast(:agency as uuid) is null or w.agency_id = cast(:agency as uuid))
              and (:operator or w.agency_id = cast(:caller as uuid))""";

    private static final String SUMMARY = """
            w.id, w.platform, w.event_id, w.event_type, w.event_time, w.status, w.error, w.signature_valid, w.listing_id,
            w.agency_id, (select count(*) from webhook_attempts a where a.webhook_log_id = w.id) as attempt_count,
            w.created_at as received_at, w.processed_at, w.updated_at""";

    /** A page of the event log, newest first. */
    public List<Map<String, Object>> page(Filter filter, int limit, int offset, org.springframework.jdbc.core.RowMapper<Map<String, Object>> rows) {
        return sql.query("select " + SUMMARY + " from webhook_log w where " + FILTER + " order by w.id desc limit :limit offset :offset",
                filter.parameters().addValue("limit", limit).addValue("offset", offset), rows);
    }

    /** One event with its headers, raw body and payload, if the caller may see it. */
    public Optional<Map<String, Object>> find(long id, boolean operator, UUID caller, org.springframework.jdbc.core.RowMapper<Map<String, Object>> rows) {
        return sql.query("select " + SUMMARY + ", w.headers, w.raw_body, w.payload from webhook_log w where w.id = :id and " + FILTER,
                new Filter(null, null, null, null, null, null, operator, caller).parameters().addValue("id", id), rows)
                .stream().findFirst();
    }

    /**
     * {@code processed | failed | unmapped -> queued}, owned by this instance, for a replay, inside the caller's
     * transaction: the events matching the filter (this one only when {@code id} is given), oldest first, at most
     * {@code limit}. Rows another transaction holds are skipped, so two replays never take one row twice.
     *
     * @return the ids taken, oldest first
     */
    public List<Long> reopenForReplay(Long id, Filter filter, int limit) {
        return sql.queryForList("""
                with taken as (
                    update webhook_log set status = 'queued', owner = :me, error = null, updated_at = now()
                     where id in (select w.id from webhook_log w
                                   where (cast(:id as bigint) is null or w.id = cast(:id as bigint))
                                     and w.status in ('processed', 'failed', 'unmapped') and %s
                                   order by w.id limit :limit for update skip locked)
                    returning id)
                select id from taken order by id""".formatted(FILTER),
                filter.parameters().addValue("id", id, java.sql.Types.BIGINT).addValue("limit", limit).addValue("me", instances.id()),
                Long.class);
    }
}
