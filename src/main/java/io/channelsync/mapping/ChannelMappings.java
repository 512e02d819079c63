package io.channelsync.mapping;

import io.channelsync.security.Caller;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of {@code channel_mappings}. Every read is scoped to what the caller may see in the query
 * itself. Uniqueness is left to the database's partial unique indexes (only live mappings count), so
 * two concurrent creates of the same listing cannot both win: the loser gets {@link Conflict}.
 */
@Repository
public class ChannelMappings {

    static final String PROPERTY_PLATFORM_KEY = "channel_mappings_property_platform_key";
    static final String PLATFORM_LISTING_KEY = "channel_mappings_platform_listing_key";

    private static final String COLUMNS =
            "id, agency_id, property_id, platform, listing_id, room_id, rate_plan_id, connection_id, sync_enabled, created_at, updated_at, deleted_at";
    private static final RowMapper<ChannelMapping> ROW = (rs, i) -> new ChannelMapping(rs.getObject("id", UUID.class),
            rs.getObject("agency_id", UUID.class), rs.getObject("property_id", UUID.class), rs.getString("platform"),
            rs.getString("listing_id"), rs.getString("room_id"), rs.getString("rate_plan_id"), rs.getObject("connection_id", UUID.class), rs.getBoolean("sync_enabled"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
            rs.getObject("deleted_at", OffsetDateTime.class));

    /**
     * A live mapping already holds the property on that platform, or the listing (and room).
     *
     * @param constraint the unique index that refused the write
     * @param existing   the mapping holding it (absent if it went away meanwhile)
     */
    public static final class Conflict extends RuntimeException {
        private final String constraint;
        private final transient Optional<ChannelMapping> existing;

        Conflict(String constraint, Optional<ChannelMapping> existing) {
            super("unique key " + constraint + " already taken");
            this.constraint = constraint;
            this.existing = existing;
        }

        public boolean sameListing() {
            return PLATFORM_LISTING_KEY.equals(constraint);
        }

        public Optional<ChannelMapping> existing() {
            return existing;
        }
    }

    private final NamedParameterJdbcTemplate sql;

    public ChannelMappings(NamedParameterJdbcTemplate sql) {
        this.sql = sql;
    }

    public ChannelMapping create(UUID agencyId, MappingRequest request) {
        var params = values(request).addValue("agency", agencyId);
        try {
            return sql.queryForObject("""
                    insert into channel_mappings (agency_id, property_id, platform, listing_id, room_id, rate_plan_id, connection_id, sync_enabled)
                    values (:agency, :property, :platform, :listing, :room, :ratePlan, :connection, :enabled)
                    returning\s""" + COLUMNS, params, ROW);
        } catch (DuplicateKeyException e) {
            throw conflict(e, request);
        }
    }

    /** Replaces the fields of a live mapping; empty if there is none with that id for that agency. */
    public Optional<ChannelMapping> update(UUID id, UUID agencyId, MappingRequest request) {
        var params = values(request).addValue("agency", agencyId).addValue("id", id);
        try {
            return sql.query("""
                    update channel_mappings
                       set property_id = :property, platform = :platform, listing_id = :listing, room_id = :room, rate_plan_id = :ratePlan,
                           connection_id = :connection, sync_enabled = :enabled, updated_at = now()
                     where id = :id and agency_id = :agency and deleted_at is null
                    returning\s""" + COLUMNS, params, ROW).stream().findFirst();
        } catch (DuplicateKeyException e) {
            throw conflict(e, request);
        }
    }

    /** Soft delete: the row stays (sync logs point at it), the mapping stops syncing and frees its keys. */
    public boolean delete(UUID id, Caller caller) {
        return sql.update("""
                update channel_mappings set deleted_at = now(), updated_at = now()
                 where id = :id and deleted_at is null and (:operator or agency_id = :agency)""",
                scope(caller).addValue("id", id)) == 1;
    }

    /** The mapping (deleted ones too) if the caller may see it. */
    public Optional<ChannelMapping> find(UUID id, Caller caller) {
        return sql.query("select " + COLUMNS + " from channel_mappings where id = :id and (:operator or agency_id = :agency)",
                scope(caller).addValue("id", id), ROW).stream().findFirst();
    }

    /** A page of the caller's mappings, oldest first; every filter is optional (null). */
    public List<ChannelMapping> list(Caller caller, UUID propertyId, String platform, UUID agencyId,
                                     boolean includeDeleted, int limit, int offset) {
        return sql.query("select " + COLUMNS + """
                 from channel_mappings
                where (:operator or agency_id = :agency)
                  and (cast(:property as uuid) is null or property_id = cast(:property as uuid))
                  and (cast(:platform as text) is null or platform = cast(:platform as text))
                  and (cast(:filterAgency as uuid) is null or agency_id = cast(:filterAgency as uuid))
                  and (:includeDeleted or deleted_at is null)
                order by created_at, id
                limit :limit offset :offset""",
                scope(caller).addValue("property", propertyId, Types.OTHER).addValue("platform", platform, Types.VARCHAR)
                        .addValue("filterAgency", agencyId, Types.OTHER).addValue("includeDeleted", includeDeleted)
                        .addValue("limit", limit).addValue("offset", offset), ROW);
    }

    private Conflict conflict(DuplicateKeyException e, MappingRequest request) {
        String constraint = e.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint() : null;
        if (PROPERTY_PLATFORM_KEY.equals(constraint)) {
            return new Conflict(constraint, live("property_id = :property and platform = :platform", request));
        }
        if (PLATFORM_LISTING_KEY.equals(constraint)) {
            return new Conflict(constraint,
                    live("platform = :platform and listing_id = :listing and coalesce(room_id, '') = coalesce(cast(:room as text), '')", request));
        }
        throw e;
    }

    private Optional<ChannelMapping> live(String condition, MappingRequest request) {
        return sql.query("select " + COLUMNS + " from channel_mappings where deleted_at is null and " + condition,
                values(request), ROW).stream().findFirst();
    }

    private static MapSqlParameterSource values(MappingRequest request) {
        return new MapSqlParameterSource("property", request.propertyId())
                .addValue("platform", request.platform())
                .addValue("listing", request.listingId())
                .addValue("room", request.roomId(), Types.VARCHAR)
                .addValue("ratePlan", request.ratePlanId(), Types.VARCHAR)
                .addValue("connection", request.connectionId(), Types.OTHER)
                .addValue("enabled", request.syncEnabledOrDefault());
    }

    private static MapSqlParameterSource scope(Caller caller) {
        return new MapSqlParameterSource("operator", caller.operator()).addValue("agency", caller.agencyId(), Types.OTHER);
    }
}
