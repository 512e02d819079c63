package io.channelsync.support;

import io.channelsync.security.ApiKeys;
import io.channelsync.security.CredentialCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates a test's own rows straight in the database, so each test owns its agency and never
 * depends on another's data. (The API that creates them in production is tested separately.)
 */
@Component
public class TestData {

    private final JdbcTemplate jdbc;
    private final CredentialCipher cipher;

    public TestData(JdbcTemplate jdbc, CredentialCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    public record Agency(UUID id, String apiKey) {
    }

    /** A new agency with one API key. */
    public Agency agency() {
        UUID id = jdbc.queryForObject("insert into agencies (name) values (?) returning id", UUID.class,
                "agency-" + UUID.randomUUID());
        String key = ApiKeys.generate();
        jdbc.update("insert into api_keys (agency_id, key_hash, key_prefix) values (?, ?, ?)",
                id, ApiKeys.hash(key), ApiKeys.prefix(key));
        return new Agency(id, key);
    }

    public UUID property(UUID agencyId) {
        return jdbc.queryForObject("insert into properties (agency_id, name) values (?, ?) returning id", UUID.class,
                agencyId, "property-" + UUID.randomUUID());
    }

    /** An Airbnb mapping of the agency's Airbnb connection (made first if the agency has none). */
    public UUID airbnbMapping(UUID agencyId, UUID propertyId, String listingId) {
        return jdbc.queryForObject("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id, connection_id)
                values (?, ?, 'airbnb', ?, ?) returning id""", UUID.class, agencyId, propertyId, listingId, airbnbConnection(agencyId));
    }

    /** A Booking.com mapping of a hotel the agency's Booking.com connection holds (the connection made, the hotel added, if needed). */
    public UUID bookingComMapping(UUID agencyId, UUID propertyId, String hotelId, String roomId) {
        return jdbc.queryForObject("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id, room_id, connection_id)
                values (?, ?, 'booking_com', ?, ?, ?) returning id""", UUID.class, agencyId, propertyId, hotelId, roomId,
                bookingComConnection(agencyId, hotelId));
    }

    /**
     * The agency's live Airbnb connection, made on first use: a host id of its own, and the host's OAuth
     * token ({@link #oauthToken}) stored encrypted like the API stores it.
     */
    public UUID airbnbConnection(UUID agencyId) {
        var existing = jdbc.queryForList("select id from channel_connections where agency_id = ? and platform = 'airbnb' and deleted_at is null",
                UUID.class, agencyId);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        UUID id = UUID.randomUUID();
        String host = uniqueListingId();
        byte[] credentials = cipher.encrypt(("{\"oauth_token\": \"" + oauthToken(host) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                id.toString());
        jdbc.update("insert into channel_connections (id, agency_id, platform, account_id, credentials) values (?, ?, 'airbnb', ?, ?)",
                id, agencyId, host, credentials);
        return id;
    }

    /** The Airbnb host id of a connection. */
    public String airbnbHost(UUID connectionId) {
        return jdbc.queryForObject("select account_id from channel_connections where id = ?", String.class, connectionId);
    }

    /** The OAuth token TestData gives a host: tests can check it is the one sent. */
    public static String oauthToken(String hostId) {
        return "test-oauth-token-of-host-" + hostId;
    }

    /** The agency's live Booking.com connection, made on first use, holding {@code hotelId} (added if needed). */
    public UUID bookingComConnection(UUID agencyId, String hotelId) {
        var existing = jdbc.queryForList("select id from channel_connections where agency_id = ? and platform = 'booking_com' and deleted_at is null",
                UUID.class, agencyId);
        UUID id = existing.isEmpty() ? UUID.randomUUID() : existing.get(0);
        if (existing.isEmpty()) {
            jdbc.update("insert into channel_connections (id, agency_id, platform) values (?, ?, 'booking_com')", id, agencyId);
        }
        jdbc.update("insert into channel_connection_hotels (connection_id, hotel_id) values (?, ?) on conflict (connection_id, hotel_id) do nothing",
                id, hotelId);
        return id;
    }

    /** A listing id no other test uses: 15 to 18 digits, no leading zero. */
    public static String uniqueListingId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999_999L));
    }
}
