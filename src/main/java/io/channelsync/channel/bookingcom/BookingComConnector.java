package io.channelsync.channel.bookingcom;

import io.channelsync.api.ApiException;
import io.channelsync.channel.AvailabilityPush;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.InboundEvents;
import io.channelsync.channel.ListingIdRules;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.channel.ReservationPages;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Booking.com: a mapping is a hotel ({@code HotelCode}) and a room ({@code InvTypeCode}); webhooks
 * signed per {@code channel-sync.webhooks.booking-com}; availability pushed by
 * {@link BookingComAvailabilityClient}; reservations read by {@link BookingComReservationsClient}.
 */
@Component
public class BookingComConnector implements ChannelConnector {

    public static final String PLATFORM = "booking_com";
    static final int MAX_HOTEL_DIGITS = 19;
    static final int MAX_ROOM_DIGITS = 30;
    static final int MAX_RATE_PLAN_DIGITS = 30;

    private final ListingOwnership ownership;
    private final BookingComAvailabilityClient availability;
    private final BookingComRateClient rates;
    private final BookingComReservationsClient reservations;
    private final BookingComWebhookEvents webhooks;

    public BookingComConnector(BookingComAvailabilityClient availability, BookingComRateClient rates,
                               BookingComReservationsClient reservations, BookingComWebhookEvents webhooks,
                               BookingComListingOwnership ownership) {
        this.ownership = ownership;
        this.availability = availability;
        this.rates = rates;
        this.reservations = reservations;
        this.webhooks = webhooks;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    /** A connection holds hotel ids; a mapping's hotel must be one of them. */
    @Override
    public ListingOwnership ownership() {
        return ownership;
    }

    /**
     * Hotel id: {@code digits_only}, {@code no_leading_zero}, {@code too_long} (19); room id:
     * {@code required}, {@code digits_only}, {@code too_long} (30). A room id that does not start with
     * the hotel id is accepted with a warning ({@code room_id_prefix}).
     */
    @Override
    public ListingIdRules listingIds() {
        return (hotelId, roomId) -> {
            ListingIdRules.digits("listing_id", "Booking.com hotel id (HotelCode)", hotelId, MAX_HOTEL_DIGITS, false);
            if (roomId == null || roomId.isEmpty()) {
                throw ApiException.invalidField("room_id", "required", "room_id (the Booking.com room id, InvTypeCode) is required for booking_com");
            }
            ListingIdRules.digits("room_id", "Booking.com room id (InvTypeCode)", roomId, MAX_ROOM_DIGITS, true);
            List<ListingIdRules.Warning> warnings = new ArrayList<>();
            if (!roomId.startsWith(hotelId)) {
                warnings.add(new ListingIdRules.Warning("room_id", "room_id_prefix", "room id " + roomId
                        + " does not start with hotel id " + hotelId + "; check it is a room of that hotel"));
            }
            return warnings;
        };
    }

    /**
     * Rate plan id ({@code RatePlanCode}): optional; {@code digits_only}, {@code too_long} (30). Without one,
     * restrictions Booking.com keeps per room and rate (stay rules, arrival/departure) are not sent, and prices
     * are refused ({@link #pricesNeedRatePlan}).
     */
    @Override
    public void checkRatePlanId(String ratePlanId) {
        if (ratePlanId != null) {
            ListingIdRules.digits("rate_plan_id", "Booking.com rate plan id (RatePlanCode)", ratePlanId, MAX_RATE_PLAN_DIGITS, true);
        }
    }

    /** Booking.com prices a room and rate: {@code OTA_HotelRateAmountNotif} needs the {@code RatePlanCode}. */
    @Override
    public boolean pricesNeedRatePlan() {
        return true;
    }

    /**
     * A push is two requests, units and restrictions ({@code OTA_HotelAvailNotif}) then prices
     * ({@code OTA_HotelRateAmountNotif}), so it carries two months: a year of a property is 6 + 6 requests.
     */
    @Override
    public int monthsPerPush() {
        return 2;
    }

    /** Units and restrictions ({@code OTA_HotelAvailNotif}), then prices ({@code OTA_HotelRateAmountNotif}). */
    @Override
    public AvailabilityPush availability() {
        return (listing, days) -> {
            if (listing.roomId() == null) {
                throw new IllegalArgumentException("invalid mapping: a Booking.com mapping of hotel " + listing.listingId() + " has no room_id");
            }
            int status = availability.pushAvailability(listing, days);
            int priced = rates.pushRates(listing, days);
            return priced != 0 ? priced : status;
        };
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
