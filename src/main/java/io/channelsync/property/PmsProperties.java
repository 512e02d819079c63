package io.channelsync.property;

import io.channelsync.api.ApiException;
import io.channelsync.security.Caller;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code properties}; every read is scoped to what the caller may see, in the query itself. */
@Repository
public class PmsProperties {

    /** A PMS property as the API shows it. */
    public record Property(UUID id, UUID agencyId, String name, String currency, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private static final String COLUMNS = "id, agency_id, name, currency, created_at, updated_at";
    private static final RowMapper<Property> ROW = (rs, i) -> new Property(rs.getObject("id", UUID.class),
            rs.getObject("agency_id", UUID.class), rs.getString("name"), rs.getString("currency"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));

    private final NamedParameterJdbcTemplate sql;

    public PmsProperties(NamedParameterJdbcTemplate sql) {
        this.sql = sql;
    }

    /** @param currency ISO 4217 code, or null for none yet */
    public Property create(UUID agencyId, String name, String currency) {
        return sql.queryForObject("insert into properties (agency_id, name, currency) values (:agency, :name, :currency) returning " + COLUMNS,
                new MapSqlParameterSource("agency", agencyId).addValue("name", name).addValue("currency", currency), ROW);
    }

    /** Sets a visible property's currency (ISO 4217); a 404 when the caller may not see it. */
    public Property setCurrency(UUID id, Caller caller, String currency) {
        return sql.query("update properties set currency = :currency, updated_at = now() where id = :id and (:operator or agency_id = :agency) returning " + COLUMNS,
                scope(caller).addValue("id", id).addValue("currency", currency), ROW).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("property", id));
    }

    /** The property if it exists and the caller may see it. */
    public Optional<Property> find(UUID id, Caller caller) {
        return sql.query("select " + COLUMNS + " from properties where id = :id and (:operator or agency_id = :agency)",
                scope(caller).addValue("id", id), ROW).stream().findFirst();
    }

    /** The property, or a 404 when it does not exist or belongs to an agency the caller may not see. */
    public Property findVisible(UUID id, Caller caller) {
        return find(id, caller).orElseThrow(() -> ApiException.notFound("property", id));
    }

    /**
     * @param agencyId only this agency's (operators may filter); null for all the caller may see
     * @param limit    rows to return (callers ask one more than the page to know if another follows)
     */
    public List<Property> list(Caller caller, UUID agencyId, int limit, int offset) {
        return sql.query("select " + COLUMNS + """
                 from properties
                where (:operator or agency_id = :agency)
                  and (cast(:filterAgency as uuid) is null or agency_id = cast(:filterAgency as uuid))
                order by created_at, id
                limit :limit offset :offset""",
                scope(caller).addValue("filterAgency", agencyId).addValue("limit", limit).addValue("offset", offset), ROW);
    }

    static MapSqlParameterSource scope(Caller caller) {
        return new MapSqlParameterSource("operator", caller.operator()).addValue("agency", caller.agencyId(), java.sql.Types.OTHER);
    }
}
