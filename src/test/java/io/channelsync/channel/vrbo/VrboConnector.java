package io.channelsync.channel.vrbo;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.api.ApiException;
import io.channelsync.channel.AvailabilityPush;
import io.channelsync.channel.CalendarDay;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.ChannelReservation;
import io.channelsync.channel.InboundEvent;
import io.channelsync.channel.InboundEvents;
import io.channelsync.channel.ListingIdRules;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.connection.ChannelConnection;
import io.channelsync.connection.ConnectionRequest;
import io.channelsync.channel.ReservationPages;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A third channel that exists only in the tests: the proof that a channel is one folder behind one
 * contract. It is picked up by the application's component scan (the test classes are on the
 * class path), with no edit in src/main; its only configuration is its block in
 * application-test.yaml ({@code channel-sync.webhooks.vrbo}). It talks to no remote API: it
 * remembers what it was asked to push and answers the reservations a test gave it.
 * <p>
 * Its webhooks (invented for the test): signed with {@code standard-webhooks}, body
 * {@code {"type": "booking.created" | "booking.cancelled", "booking": {"id", "listing", "arrival", "departure", "guests"}}}.
 */
@Component
public class VrboConnector implements ChannelConnector {

    public static final String PLATFORM = "vrbo";

    /** One availability push the stub received. */
    public record Push(String listingId, List<CalendarDay> days) {
    }

    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final Map<String, List<ChannelReservation>> held = new ConcurrentHashMap<>();
    /** listing -> the owner account Vrbo says has it */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    @Override
    public String platform() {
        return PLATFORM;
    }

    /** Listing ids are "vrbo-" and digits; no rooms. */
    @Override
    public ListingIdRules listingIds() {
        return (listingId, roomId) -> {
            if (listingId == null || !listingId.matches("vrbo-[0-9]{1,20}")) {
                throw ApiException.invalidField("listing_id", "vrbo_listing_id", "a Vrbo listing id is vrbo-<digits>");
            }
            if (roomId != null) {
                throw ApiException.invalidField("room_id", "not_allowed", "Vrbo listings have no rooms");
            }
            return List.of();
        };
    }

    /** A connection is an owner account ({@code account_id}); a listing belongs to the owner the test said has it. */
    @Override
    public ListingOwnership ownership() {
        return new ListingOwnership() {
            @Override
            public void checkConnection(ConnectionRequest request) {
                if (request.accountId() == null || request.accountId().isBlank()) {
                    throw ApiException.invalidField("account_id", "required", "account_id (the Vrbo owner) is required for vrbo");
                }
            }

            @Override
            public boolean owns(ChannelConnection connection, String listingId) {
                return connection.accountId().equals(owners.get(listingId));
            }
        };
    }

    @Override
    public AvailabilityPush availability() {
        return (listing, days) -> {
            pushes.add(new Push(listing.listingId(), List.copyOf(days)));
            return 200;
        };
    }

    @Override
    public Optional<InboundEvents> inbound() {
        return Optional.of(new InboundEvents() {
            @Override
            public EventName name(JsonNode payload, byte[] rawBody, String signedId) {
                return new EventName(signedId, payload.path("type").asText(null));
            }

            @Override
            public Changes apply(InboundEvent event) {
                JsonNode b = event.payload().path("booking");
                if (!b.isObject()) {
                    return Changes.nothing("no booking");
                }
                String status = "booking.cancelled".equals(event.eventType()) ? "cancelled" : "confirmed";
                return Changes.store(List.of(new ChannelReservation(PLATFORM, b.path("id").asText(null), b.path("listing").asText(null),
                        null, LocalDate.parse(b.path("arrival").asText()), LocalDate.parse(b.path("departure").asText()), status,
                        null, b.path("guests").asInt(1), null, null, event.eventTime())), "vrbo " + event.eventType());
            }
        });
    }

    @Override
    public Optional<ReservationPages> reservations() {
        return Optional.of(new ReservationPages() {
            @Override
            public String platform() {
                return PLATFORM;
            }

            @Override
            public void forEachPage(String listingId, String roomId, LocalDate from, LocalDate to, PageConsumer page) {
                page.accept(held.getOrDefault(listingId, List.of()).stream()
                        .filter(r -> r.checkOut().isAfter(from) && !r.checkIn().isAfter(to)).toList());
            }
        });
    }

    /** From now on Vrbo says the owner account has the listing. */
    public void owns(String ownerAccount, String listingId) {
        owners.put(listingId, ownerAccount);
    }

    /** The pushes received for a listing, oldest first. */
    public List<Push> pushesTo(String listingId) {
        return pushes.stream().filter(p -> p.listingId().equals(listingId)).toList();
    }

    /** From now on the channel holds these reservations for the listing (what reconciliation reads). */
    public void holds(String listingId, List<ChannelReservation> reservations) {
        held.put(listingId, List.copyOf(reservations));
    }
}
