package io.channelsync.mapping;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.constraints.NotNull;

import java.util.UUID;

/**
 * The body of {@code POST}/{@code PUT /api/v1/channel-mappings} (and, merged onto the stored mapping,
 * of {@code PATCH}): {@code {"property_id", "connection_id", "platform", "listing_id", "room_id", "rate_plan_id", "sync_enabled"}}.
 * Ids are strings of digits (a JSON integer is taken digit for digit, never as a double).
 *
 * @param connectionId the channel connection (of the property's agency) that owns the listing; required
 *                     for new mappings ({@link MappingConnectionCheck})
 * @param platform     may be left out when {@code connection_id} is given: the connection's platform
 * @param listingId    Airbnb listing id, or Booking.com hotel id ({@code HotelCode})
 * @param roomId       Booking.com room id ({@code InvTypeCode}); must be absent or null for Airbnb
 * @param ratePlanId   Booking.com rate plan id ({@code RatePlanCode}), optional: the rate plan minimum stay is
 *                     sent for; must be absent or null for channels without rate plans
 * @param syncEnabled  false pauses syncs of the mapping; absent means true
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MappingRequest(@NotNull UUID propertyId, UUID connectionId, String platform, @NotNull String listingId,
                             String roomId, String ratePlanId, Boolean syncEnabled) {

    public boolean syncEnabledOrDefault() {
        return syncEnabled == null || syncEnabled;
    }

    MappingRequest withPlatform(String platform) {
        return new MappingRequest(propertyId, connectionId, platform, listingId, roomId, ratePlanId, syncEnabled);
    }
}
