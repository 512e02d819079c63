package io.channelsync.support;

import io.channelsync.security.ApiKeys;
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

    public TestData(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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

    public UUID airbnbMapping(UUID agencyId, UUID propertyId, String listingId) {
        return jdbc.queryForObject("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id)
                values (?, ?, 'airbnb', ?) returning id""", UUID.class, agencyId, propertyId, listingId);
    }

    public UUID bookingComMapping(UUID agencyId, UUID propertyId, String hotelId, String roomId) {
        return jdbc.queryForObject("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id, room_id)
                values (?, ?, 'booking_com', ?, ?) returning id""", UUID.class, agencyId, propertyId, hotelId, roomId);
    }

    /** A listing id no other test uses: 15 to 18 digits, no leading zero. */
    public static String uniqueListingId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999_999L));
    }
}
