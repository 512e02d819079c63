package io.channelsync.channel;

/**
 * What a mapping names on its channel, as a push needs it.
 *
 * @param listingId  the channel's listing (Airbnb listing id, Booking.com hotel id)
 * @param roomId     the channel's room (Booking.com {@code InvTypeCode}); null when the channel has none
 * @param ratePlanId the channel's rate plan (Booking.com {@code RatePlanCode}); null when the channel has
 *                   none or the mapping names none
 */
public record MappedListing(String listingId, String roomId, String ratePlanId) {
}
