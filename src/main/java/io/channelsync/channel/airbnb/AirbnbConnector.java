package io.channelsync.channel.airbnb;

import io.channelsync.api.ApiException;
import io.channelsync.channel.AvailabilityPush;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.InboundEvents;
import io.channelsync.channel.ListingIdRules;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.channel.ReservationPages;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Airbnb: a mapping is a listing (no room); webhooks signed per {@code channel-sync.webhooks.airbnb};
 * calendars pushed by {@link AirbnbCalendarClient}; reservations read by {@link AirbnbReservationsClient}.
 */
@Component
public class AirbnbConnector implements ChannelConnector {

    public static final String PLATFORM = "airbnb";
    /** Airbnb listing ids are 1 to 19 digits (kept as text: recent ids have 19). */
    static final int MAX_LISTING_DIGITS = 19;

    private final ListingOwnership ownership;
    private final AirbnbCalendarClient calendar;
    private final AirbnbReservationsClient reservations;
    private final AirbnbWebhookEvents webhooks;

    public AirbnbConnector(AirbnbCalendarClient calendar, AirbnbReservationsClient reservations, AirbnbWebhookEvents webhooks,
                           AirbnbListingOwnership ownership) {
        this.ownership = ownership;
        this.calendar = calendar;
        this.reservations = reservations;
        this.webhooks = webhooks;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    /** A connection is a host with its OAuth token; a listing is owned when Airbnb says the host has it. */
    @Override
    public ListingOwnership ownership() {
        return ownership;
    }

    /** Listing id: {@code digits_only}, {@code no_leading_zero}, {@code too_long}; room id: {@code not_allowed}. */
    @Override
    public ListingIdRules listingIds() {
        return (listingId, roomId) -> {
            ListingIdRules.digits("listing_id", "Airbnb listing id", listingId, MAX_LISTING_DIGITS, false);
            if (roomId != null) {
                throw ApiException.invalidField("room_id", "not_allowed", "room_id is for Booking.com mappings only; leave it out for Airbnb");
            }
            return List.of();
        };
    }

    @Override
    public AvailabilityPush availability() {
        return (listing, days) -> calendar.pushCalendar(listing.listingId(), days);
    }

    @Override
    public Optional<InboundEvents> inbound() {
        return Optional.of(webhooks);
    }

    @Override
    public Optional<ReservationPages> reservations() {
        return Optional.of(reservations);
    }
}
