package io.channelsync.channel;

import io.channelsync.api.ApiException;

import java.util.Optional;

/**
 * Everything channel-sync knows about one channel, behind one contract: one {@code @Component} per
 * channel package ({@code channel/airbnb}, {@code channel/bookingcom}, ...), discovered by
 * {@link Channels}, never listed. The generic code (intake, processing, sync, dead letters,
 * reconciliation, API validation, metrics) asks the connector of a row's platform and never names a
 * channel itself.
 * <p>
 * Parts a channel does not have are empty.
 */
public interface ChannelConnector {

    /** The platform as stored in {@code channel_mappings.platform} and used in paths: lower case, digits, '_'. */
    String platform();

    /**
     * The key of this channel's configuration blocks: {@code channel-sync.webhooks.<key>} (its
     * signature scheme and secrets) and, by convention, {@code channel-sync.channels.<key>}.
     * Spring's canonical form of the platform: {@code booking_com} is {@code booking-com}.
     */
    default String configKey() {
        return platform().replace('_', '-');
    }

    /** Whether a mapping's listing (and room) ids can be right for this channel. */
    ListingIdRules listingIds();

    /**
     * Whether a mapping's {@code rate_plan_id} (null when absent) can be right for this channel. By
     * default the channel has no rate plans: a rate plan id is refused, 422 {@code not_allowed}.
     */
    default void checkRatePlanId(String ratePlanId) {
        if (ratePlanId != null) {
            throw ApiException.invalidField("rate_plan_id", "not_allowed",
                    platform() + " has no rate plans; leave rate_plan_id out for " + platform() + " mappings");
        }
    }

    /**
     * Whether prices need the mapping's {@code rate_plan_id} on this channel: then the API refuses prices for a
     * property whose mapping has none, and a mapping without one on a priced property (422, not dropped).
     */
    default boolean pricesNeedRatePlan() {
        return false;
    }

    /**
     * The channel's part of channel connections ({@code /api/v1/channel-connections}): which account
     * fields a connection needs, and whether a listing belongs to one (a mapping names a connection that
     * owns its listing; 422 {@code listing_not_owned} otherwise).
     */
    ListingOwnership ownership();

    /** Pushes a property's calendar to a mapped listing (the availability sync jobs). */
    AvailabilityPush availability();

    /**
     * How many calendar months of changed nights one {@link #availability()} call carries (monthly batching:
     * at most 12 requests per property and channel for a year). A channel whose push is two requests (one per
     * message type) takes two months a call, so a year stays at 12 requests in all.
     */
    default int monthsPerPush() {
        return 1;
    }

    /**
     * Events the channel sends us (webhooks on {@code POST /api/v1/webhooks/<platform>}, or events a
     * connector stores itself, such as polled reservations): naming them and applying them. Empty:
     * the channel's webhook path answers 404.
     */
    default Optional<InboundEvents> inbound() {
        return Optional.empty();
    }

    /** The channel's reservations of a listing, read by reconciliation. Empty: its mappings are not reconciled. */
    default Optional<ReservationPages> reservations() {
        return Optional.empty();
    }
}
