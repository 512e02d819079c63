package io.channelsync.mapping;

import jakarta.validation.constraints.NotNull;

import java.util.UUID;

/**
 * The body of {@code POST}/{@code PUT /api/v1/channel-mappings} (and, merged onto the stored mapping,
 * of {@code PATCH}): {@code {"property_id", "platform", "listing_id", "room_id", "sync_enabled"}}.
 * Ids are strings of digits (a JSON integer is taken digit for digit, never as a double).
 *
 * @param listingId   Airbnb listing id, or Booking.com hotel id ({@code HotelCode})
 * @param roomId      Booking.com room id ({@code InvTypeCode}); must be absent or null for Airbnb
 * @param syncEnabled false pauses syncs of the mapping; absent means true
 */
public record MappingRequest(@NotNull UUID propertyId, @NotNull String platform, @NotNull String listingId,
                             String roomId, Boolean syncEnabled) {

    public boolean syncEnabledOrDefault() {
        return syncEnabled == null || syncEnabled;
    }
}
