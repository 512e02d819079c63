package io.channelsync.channel.bookingcom;

import io.channelsync.api.ApiException;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.connection.ChannelConnection;
import io.channelsync.connection.ConnectionRequest;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;

/**
 * Booking.com connections and listing ownership. The provider calls with its own machine account
 * (configuration), so a connection holds no credentials: it names the hotels (HotelCode) the agency
 * runs, and a hotel is held by one live connection at most (a unique key). A mapping's listing (the
 * hotel id) belongs to the connection when the connection holds it.
 */
@Component
public class BookingComListingOwnership implements ListingOwnership {

    static final int MAX_HOTEL_DIGITS = 19;
    static final int MAX_HOTELS = 1000;

    @Override
    public void checkConnection(ConnectionRequest request) {
        List<String> hotels = request.hotelIdsOrEmpty();
        if (hotels.isEmpty()) {
            throw ApiException.invalidField("hotel_ids", "required", "hotel_ids (the Booking.com hotel ids, HotelCode) are required for booking_com");
        }
        if (hotels.size() > MAX_HOTELS) {
            throw ApiException.invalidField("hotel_ids", "too_many", "at most " + MAX_HOTELS + " hotel ids per connection");
        }
        for (int i = 0; i < hotels.size(); i++) {
            String hotel = hotels.get(i);
            if (hotel == null || hotel.isEmpty() || !hotel.chars().allMatch(c -> c >= '0' && c <= '9')
                    || hotel.charAt(0) == '0' || hotel.length() > MAX_HOTEL_DIGITS) {
                throw ApiException.invalidField("hotel_ids[" + i + "]", "digits_only",
                        "a Booking.com hotel id is 1 to " + MAX_HOTEL_DIGITS + " digits, no leading zero");
            }
        }
        if (new HashSet<>(hotels).size() != hotels.size()) {
            throw ApiException.invalidField("hotel_ids", "duplicate", "hotel_ids lists a hotel twice");
        }
        if (request.accountId() != null) {
            throw ApiException.invalidField("account_id", "not_allowed", "account_id is for Airbnb connections; name the hotels in hotel_ids");
        }
        if (request.credentials() != null) {
            throw ApiException.invalidField("credentials", "not_allowed",
                    "Booking.com is called with the provider's machine account (configuration), not per-connection credentials");
        }
    }

    @Override
    public boolean owns(ChannelConnection connection, String hotelId) {
        return connection.hotelIds().contains(hotelId);
    }
}
