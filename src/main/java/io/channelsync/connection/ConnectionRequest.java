package io.channelsync.connection;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/channel-connections}:
 * Airbnb {@code {"platform": "airbnb", "account_id": "<host id>", "credentials": {"oauth_token": "..."}}},
 * Booking.com {@code {"platform": "booking_com", "hotel_ids": ["1234567", ...]}}. Which fields a platform
 * needs is the channel's to say ({@link io.channelsync.channel.ListingOwnership#checkConnection}).
 *
 * @param agencyId the agency the connection is for: operators must name it; an agency key may only name itself
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConnectionRequest(@NotBlank String platform, String accountId, List<String> hotelIds,
                                @Valid Credentials credentials, UUID agencyId) {

    /** What the channel needs to call for this account; unknown fields are refused like anywhere else. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Credentials(String oauthToken) {
        @Override
        public String toString() {
            return "Credentials[(hidden)]";
        }
    }

    public List<String> hotelIdsOrEmpty() {
        return hotelIds == null ? List.of() : hotelIds;
    }
}
