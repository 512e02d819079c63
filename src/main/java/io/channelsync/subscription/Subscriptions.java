package io.channelsync.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.alert.AlertProperties;
import io.channelsync.api.Rows;
import io.channelsync.security.Caller;
import io.channelsync.security.CredentialCipher;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of {@code subscriptions}. The {@code whsec_} secret is generated here, stored encrypted
 * ({@link CredentialCipher}, bound to the row's id) and returned once, by {@link #create}. The one
 * {@code alerts} row mirrors {@code channel-sync.alerts.webhook-url} at start-up; its secret stays in
 * configuration.
 */
@Component
public class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    static final String COLUMNS = """
            s.id, s.agency_id, s.kind, s.url, array_to_json(s.event_types) as event_types, s.description, s.status,
            s.failing_since, s.last_success_at, s.last_failure_at, s.last_error, s.created_at, s.updated_at""";
    /** The caller sees its agency's subscriptions; an operator every one. */
    static final String VISIBLE = "(:operator or s.agency_id = :caller)";

    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;
    private final CredentialCipher cipher;
    private final AlertProperties alerts;
    private final SecureRandom random = new SecureRandom();

    public Subscriptions(NamedParameterJdbcTemplate sql, ObjectMapper json, CredentialCipher cipher, AlertProperties alerts) {
        this.sql = sql;
        this.json = json;
        this.cipher = cipher;
        this.alerts = alerts;
    }

    /** What the target of one delivery needs: where, with which secret, and who to tell. */
    public record Target(UUID id, UUID agencyId, String kind, URI url, String secret, String status) {
    }

    /** Keeps the {@code alerts} subscription equal to {@code channel-sync.alerts.webhook-url} (none when unset). */
    @PostConstruct
    void mirrorAlertWebhook() {
        if (!alerts.webhookEnabled()) {
            sql.update("delete from subscriptions where kind = 'alerts'", Map.of());
            return;
        }
        sql.update("""
                insert into subscriptions (kind, url, event_types, description)
                values ('alerts', :url, array[:type], 'channel-sync.alerts.webhook-url')
                on conflict (kind) where kind = 'alerts' do update set url = excluded.url, updated_at = now()
                where subscriptions.url <> excluded.url""", Map.of("url", alerts.webhookUrl(), "type", EventTypes.ALERT));
        log.info("Alerts are delivered to the alert webhook (subscription kind alerts), signed with channel-sync.alerts.secret");
    }

    /** @return the subscription as the API shows it, plus its {@code secret}: the only time it is shown */
    public Map<String, Object> create(UUID agencyId, URI url, List<String> eventTypes, String description) {
        UUID id = UUID.randomUUID();
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        sql.update("""
                insert into subscriptions (id, agency_id, url, event_types, description, secret)
                values (:id, :agency, :url, cast(:types as text[]), :description, :secret)""",
                new MapSqlParameterSource("id", id).addValue("agency", agencyId).addValue("url", url.toString())
                        .addValue("types", eventTypes.toArray(String[]::new)).addValue("description", description)
                        .addValue("secret", cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8), id.toString())));
        Map<String, Object> created = new LinkedHashMap<>(find(id, Caller.operator("internal")).orElseThrow());
        created.put("secret", secret);
        return created;
    }

    public List<Map<String, Object>> list(Caller caller, UUID agency, String status, String eventType, int limit, int offset) {
        return sql.query("select " + COLUMNS + " from subscriptions s where " + VISIBLE + """
                 and (cast(:agency as uuid) is null or s.agency_id = :agency)
                 and (cast(:status as text) is null or s.status = :status)
                 and (cast(:type as text) is null or :type = any(s.event_types))
                order by s.created_at, s.id limit :limit offset :offset""",
                visibleTo(caller).addValue("agency", agency).addValue("status", status).addValue("type", eventType)
                        .addValue("limit", limit).addValue("offset", offset), Rows.json(json));
    }

    public Optional<Map<String, Object>> find(UUID id, Caller caller) {
        return sql.query("select " + COLUMNS + " from subscriptions s where s.id = :id and " + VISIBLE,
                visibleTo(caller).addValue("id", id), Rows.json(json)).stream().findFirst();
    }

    /** Sets the fields given (null: unchanged). */
    public void update(UUID id, URI url, List<String> eventTypes, String description) {
        sql.update("""
                update subscriptions set url = coalesce(:url, url), event_types = coalesce(cast(:types as text[]), event_types),
                       description = coalesce(:description, description), updated_at = now()
                where id = :id""", new MapSqlParameterSource("id", id).addValue("url", url == null ? null : url.toString())
                .addValue("types", eventTypes == null ? null : eventTypes.toArray(String[]::new)).addValue("description", description));
    }

    /** Deletes the subscription and its delivery log (the events stay). */
    public void delete(UUID id) {
        sql.update("delete from subscriptions where id = :id", Map.of("id", id));
    }

    public Target target(UUID id) {
        return sql.queryForObject("select id, agency_id, kind, url, secret, status from subscriptions where id = :id", Map.of("id", id),
                (rs, n) -> {
                    String kind = rs.getString("kind");
                    String secret = "alerts".equals(kind) ? alerts.secret()
                            : new String(cipher.decrypt(rs.getBytes("secret"), id.toString()), StandardCharsets.UTF_8);
                    return new Target(id, rs.getObject("agency_id", UUID.class), kind, URI.create(rs.getString("url")), secret,
                            rs.getString("status"));
                });
    }

    /** A 2xx: the subscription is active again. @return true if it was failing */
    public boolean succeeded(UUID id) {
        return !sql.queryForList("""
                update subscriptions s set status = 'active', failing_since = null, last_success_at = now(), updated_at = now()
                from (select status from subscriptions where id = :id for update) earlier
                where s.id = :id returning earlier.status""", Map.of("id", id), String.class)
                .stream().filter("failing"::equals).toList().isEmpty();
    }

    /**
     * A failed attempt; {@code exhausted}: its delivery has no retry left, so the subscription is marked
     * failing (it stays, and keeps receiving events). @return true if it was active before and is failing now
     */
    public boolean failed(UUID id, String error, boolean exhausted) {
        return !sql.queryForList("""
                update subscriptions s set last_failure_at = now(), last_error = :error, updated_at = now(),
                       status = case when :exhausted then 'failing' else s.status end,
                       failing_since = case when :exhausted then coalesce(s.failing_since, now()) else s.failing_since end
                from (select status from subscriptions where id = :id for update) earlier
                where s.id = :id returning earlier.status""",
                new MapSqlParameterSource("id", id).addValue("error", error).addValue("exhausted", exhausted), String.class)
                .stream().filter(before -> exhausted && "active".equals(before)).toList().isEmpty();
    }

    static MapSqlParameterSource visibleTo(Caller caller) {
        return new MapSqlParameterSource("operator", caller.operator())
                .addValue("caller", caller.agencyId() == null ? new UUID(0, 0) : caller.agencyId());
    }
}
