package io.channelsync.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.security.Caller;
import io.channelsync.security.CredentialCipher;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL of {@code channel_connections} and {@code channel_connection_hotels}. Every read is scoped to
 * what the caller may see in the query itself. Credentials go in encrypted ({@link CredentialCipher},
 * the connection id as associated data) and come out only through {@link #credentials}, never in a
 * {@link ChannelConnection}. The unique keys decide who holds an account or a hotel: the loser of a
 * race gets a 409.
 */
@Repository
public class ChannelConnections {

    static final String ACCOUNT_KEY = "channel_connections_platform_account_key";
    static final String HOTEL_KEY = "channel_connection_hotels_hotel_key";

    private static final String COLUMNS = """
            c.id, c.agency_id, c.platform, c.account_id, c.credentials is not null as has_credentials, c.status,
            c.created_at, c.updated_at, c.deleted_at,
            array(select h.hotel_id from channel_connection_hotels h where h.connection_id = c.id order by h.hotel_id) as hotel_ids""";
    private static final RowMapper<ChannelConnection> ROW = (rs, i) -> new ChannelConnection(rs.getObject("id", UUID.class),
            rs.getObject("agency_id", UUID.class), rs.getString("platform"), rs.getString("account_id"),
            strings(rs.getArray("hotel_ids")), rs.getBoolean("has_credentials"), rs.getString("status"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
            rs.getObject("deleted_at", OffsetDateTime.class));

    /** At most this many opened credentials are kept ({@link #opened}); past it the map starts over. */
    private static final int OPENED_MAX = 10_000;

    private final NamedParameterJdbcTemplate sql;
    private final CredentialCipher cipher;
    private final ObjectMapper json;
    /**
     * Credentials already opened, by connection and sealed bytes: every push opens its connection's (AES-GCM, then
     * JSON), 16% of the sync consumers' CPU in the poll profile (issue 12). Keyed by the sealed bytes, so new credentials
     * are opened afresh; a deleted connection is never read, so never served. Read-only trees; never logged.
     */
    private final Map<Sealed, JsonNode> opened = new ConcurrentHashMap<>();

    private record Sealed(UUID connectionId, ByteBuffer bytes) {
        @Override
        public String toString() { // never the credentials
            return "Sealed[" + connectionId + "]";
        }
    }

    public ChannelConnections(NamedParameterJdbcTemplate sql, CredentialCipher cipher, ObjectMapper json) {
        this.sql = sql;
        this.cipher = cipher;
        this.json = json;
    }

    /** Stores a new connection with its hotels; 409 when a live connection already holds the account or a hotel. */
    @Transactional
    public ChannelConnection create(UUID agencyId, ConnectionRequest request) {
        UUID id = UUID.randomUUID();
        byte[] sealed = request.credentials() == null ? null : cipher.encrypt(bytes(request.credentials()), id.toString());
        try {
            sql.update("""
                    insert into channel_connections (id, agency_id, platform, account_id, credentials)
                    values (:id, :agency, :platform, :account, :credentials)""",
                    new MapSqlParameterSource("id", id).addValue("agency", agencyId).addValue("platform", request.platform())
                            .addValue("account", request.accountId(), Types.VARCHAR).addValue("credentials", sealed, Types.BINARY));
            for (String hotel : request.hotelIdsOrEmpty().stream().distinct().toList()) {
                sql.update("insert into channel_connection_hotels (connection_id, hotel_id) values (:id, :hotel)",
                        new MapSqlParameterSource("id", id).addValue("hotel", hotel));
            }
        } catch (DuplicateKeyException e) {
            throw conflict(e);
        }
        return sql.queryForObject("select " + COLUMNS + " from channel_connections c where c.id = :id", Map.of("id", id), ROW);
    }

    /** The connection (deleted ones too) if the caller may see it. */
    public Optional<ChannelConnection> find(UUID id, Caller caller) {
        return sql.query("select " + COLUMNS + " from channel_connections c where c.id = :id and (:operator or c.agency_id = :agency)",
                scope(caller).addValue("id", id), ROW).stream().findFirst();
    }

    /** The agency's live connection with that id. */
    public Optional<ChannelConnection> findLive(UUID id, UUID agencyId) {
        return sql.query("select " + COLUMNS + " from channel_connections c where c.id = :id and c.agency_id = :agency and c.deleted_at is null",
                new MapSqlParameterSource("id", id).addValue("agency", agencyId), ROW).stream().findFirst();
    }

    /** A page of the caller's connections, oldest first; filters optional (null). */
    public List<ChannelConnection> list(Caller caller, String platform, UUID agencyId, boolean includeDeleted, int limit, int offset) {
        return sql.query("select " + COLUMNS + """
                 from channel_connections c
                where (:operator or c.agency_id = :agency)
                  and (cast(:platform as text) is null or c.platform = cast(:platform as text))
                  and (cast(:filterAgency as uuid) is null or c.agency_id = cast(:filterAgency as uuid))
                  and (:includeDeleted or c.deleted_at is null)
                order by c.created_at, c.id
                limit :limit offset :offset""",
                scope(caller).addValue("platform", platform, Types.VARCHAR).addValue("filterAgency", agencyId, Types.OTHER)
                        .addValue("includeDeleted", includeDeleted).addValue("limit", limit).addValue("offset", offset), ROW);
    }

    /** Live mappings that name the connection (a connection in use is not deleted). */
    public int liveMappings(UUID id) {
        Integer n = sql.queryForObject("select count(*) from channel_mappings where connection_id = :id and deleted_at is null",
                Map.of("id", id), Integer.class);
        return n == null ? 0 : n;
    }

    /**
     * Soft delete: the row stays (mappings' history points at it), its credentials are erased and its
     * hotels released, so another connection may hold them.
     */
    @Transactional
    public boolean delete(UUID id, Caller caller) {
        int n = sql.update("""
                update channel_connections set deleted_at = now(), updated_at = now(), status = 'deleted', credentials = null
                 where id = :id and deleted_at is null and (:operator or agency_id = :agency)""",
                scope(caller).addValue("id", id));
        if (n == 1) {
            sql.update("delete from channel_connection_hotels where connection_id = :id", Map.of("id", id));
        }
        return n == 1;
    }

    /** The decrypted credentials of a live connection ({@code {"oauth_token": ...}}), or empty when it has none. */
    public Optional<JsonNode> credentials(UUID id) {
        return sql.query("select credentials from channel_connections where id = :id and deleted_at is null and credentials is not null",
                Map.of("id", id), (rs, i) -> open(rs.getBytes(1), id)).stream().findFirst();
    }

    /** The live connection that holds a listing, with its account and decrypted credentials (null when it has none). */
    public record ListingHolder(UUID connectionId, String accountId, JsonNode credentials) {
        @Override
        public String toString() { // never the credentials
            return "ListingHolder[" + connectionId + ", " + accountId + "]";
        }
    }

    /**
     * The live connection of the live mapping that holds a listing on a platform, if any (a listing is held by one
     * live mapping at most: the mappings' unique key). One query: a channel call makes it on every push.
     */
    public Optional<ListingHolder> holderOfListing(String platform, String listingId) {
        return sql.query("""
                select c.id, c.account_id, c.credentials from channel_mappings m join channel_connections c on c.id = m.connection_id
                 where m.platform = :platform and m.listing_id = :listing and m.deleted_at is null and c.deleted_at is null
                 limit 1""",
                new MapSqlParameterSource("platform", platform).addValue("listing", listingId), (rs, i) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    byte[] sealed = rs.getBytes("credentials");
                    return new ListingHolder(id, rs.getString("account_id"), sealed == null ? null : open(sealed, id));
                }).stream().findFirst();
    }

    private JsonNode open(byte[] sealed, UUID id) {
        Sealed key = new Sealed(id, ByteBuffer.wrap(sealed));
        JsonNode credentials = opened.get(key);
        if (credentials != null) {
            return credentials;
        }
        try {
            credentials = json.readTree(cipher.decrypt(sealed, id.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("stored credentials of connection " + id + " are not JSON");
        }
        if (opened.size() >= OPENED_MAX) {
            opened.clear(); // bounded: replaced credentials never grow it for ever
        }
        opened.put(key, credentials);
        return credentials;
    }

    private byte[] bytes(ConnectionRequest.Credentials credentials) {
        try {
            return json.writeValueAsBytes(credentials);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("credentials could not be written", e);
        }
    }

    private static ApiException conflict(DuplicateKeyException e) {
        String constraint = e.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint() : null;
        if (ACCOUNT_KEY.equals(constraint)) {
            return ApiException.conflict("this channel account is already connected by a live connection",
                    Map.of("conflict", "account_already_connected", "field", "account_id"));
        }
        if (HOTEL_KEY.equals(constraint)) {
            return ApiException.conflict("a hotel id is already held by a live connection",
                    Map.of("conflict", "hotel_already_connected", "field", "hotel_ids"));
        }
        throw e;
    }

    private static List<String> strings(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static MapSqlParameterSource scope(Caller caller) {
        return new MapSqlParameterSource("operator", caller.operator()).addValue("agency", caller.agencyId(), Types.OTHER);
    }
}
