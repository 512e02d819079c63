package io.channelsync.agency;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.channelsync.security.ApiKeys;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code agencies} and {@code api_keys}. A key's plaintext is returned once and never stored. */
@Repository
public class Agencies {

    /** An agency as the API shows it. */
    public record Agency(UUID id, String name, OffsetDateTime createdAt) {
    }

    /**
     * An API key as the API shows it; {@code key} is the plaintext, set only in the answer that creates it.
     */
    public record ApiKey(UUID id, UUID agencyId, @JsonInclude(JsonInclude.Include.NON_NULL) String key, String keyPrefix, OffsetDateTime createdAt,
                         OffsetDateTime revokedAt) {
    }

    private static final RowMapper<ApiKey> KEY = (rs, i) -> new ApiKey(rs.getObject("id", UUID.class),
            rs.getObject("agency_id", UUID.class), null, rs.getString("key_prefix"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class));

    private final NamedParameterJdbcTemplate sql;

    public Agencies(NamedParameterJdbcTemplate sql) {
        this.sql = sql;
    }

    /** A new agency and its first key, in one transaction. */
    @Transactional
    public Created create(String name) {
        Agency agency = sql.queryForObject("insert into agencies (name) values (:name) returning id, name, created_at",
                new MapSqlParameterSource("name", name),
                (rs, i) -> new Agency(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class)));
        return new Created(agency, issueKey(agency.id()));
    }

    public record Created(Agency agency, ApiKey key) {
    }

    public boolean exists(UUID agencyId) {
        return Boolean.TRUE.equals(sql.queryForObject("select exists (select 1 from agencies where id = :id)",
                new MapSqlParameterSource("id", agencyId), Boolean.class));
    }

    public Optional<Agency> find(UUID agencyId) {
        return sql.query("select id, name, created_at from agencies where id = :id", new MapSqlParameterSource("id", agencyId),
                (rs, i) -> new Agency(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class))).stream().findFirst();
    }

    /** A new key for an existing agency; only its hash and prefix are stored. */
    public ApiKey issueKey(UUID agencyId) {
        String key = ApiKeys.generate();
        ApiKey stored = sql.queryForObject("""
                insert into api_keys (agency_id, key_hash, key_prefix) values (:agency, :hash, :prefix)
                returning id, agency_id, key_prefix, created_at, revoked_at""",
                new MapSqlParameterSource("agency", agencyId).addValue("hash", ApiKeys.hash(key))
                        .addValue("prefix", ApiKeys.prefix(key)), KEY);
        return new ApiKey(stored.id(), stored.agencyId(), key, stored.keyPrefix(), stored.createdAt(), stored.revokedAt());
    }

    public List<ApiKey> keys(UUID agencyId, int limit, int offset) {
        return sql.query("""
                select id, agency_id, key_prefix, created_at, revoked_at from api_keys
                where agency_id = :agency order by created_at, id limit :limit offset :offset""",
                new MapSqlParameterSource("agency", agencyId).addValue("limit", limit).addValue("offset", offset), KEY);
    }

    /**
     * Revokes a key of the agency (revoking a revoked key keeps its first revocation time).
     *
     * @return the key, or empty when the agency has no such key
     */
    public Optional<ApiKey> revoke(UUID agencyId, UUID keyId) {
        return sql.query("""
                update api_keys set revoked_at = coalesce(revoked_at, now())
                where id = :key and agency_id = :agency
                returning id, agency_id, key_prefix, created_at, revoked_at""",
                new MapSqlParameterSource("key", keyId).addValue("agency", agencyId), KEY).stream().findFirst();
    }
}
