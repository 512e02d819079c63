package io.channelsync.subscription;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event types a subscription can ask for, and which alert kinds are also events (the one place that maps them). */
public final class EventTypes {

    public static final String BOOKING_CREATED = "booking.created";
    public static final String BOOKING_MODIFIED = "booking.modified";
    public static final String BOOKING_CANCELLED = "booking.cancelled";
    public static final String SYNC_DEADLETTERED = "sync.deadlettered"; // also written by sql/dead-letter-sync.sql
    public static final String RECONCILIATION_DISCREPANCY = "reconciliation.discrepancy";
    public static final String CHANNEL_DOWN = "channel.down";
    public static final String CHANNEL_UP = "channel.up";
    public static final String DOUBLE_BOOKING = "double_booking";

    /** Every alert, for the operator alert webhook (subscription kind {@code alerts}); not offered by the API. */
    public static final String ALERT = "alert";

    /** What {@code /api/v1/subscriptions} accepts in {@code event_types}. */
    public static final List<String> SUBSCRIBABLE = List.of(BOOKING_CREATED, BOOKING_MODIFIED, BOOKING_CANCELLED,
            SYNC_DEADLETTERED, RECONCILIATION_DISCREPANCY, CHANNEL_DOWN, CHANNEL_UP, DOUBLE_BOOKING);

    /** Alert kinds (Alerts.raise) that are also events for the PMS; agency null = channel-wide. */
    private static final Map<String, String> BY_ALERT_KIND = Map.of(
            "channel_down", CHANNEL_DOWN,
            "channel_up", CHANNEL_UP,
            "double_booking", DOUBLE_BOOKING);

    private EventTypes() {
    }

    public static Optional<String> forAlertKind(String alertKind) {
        return Optional.ofNullable(BY_ALERT_KIND.get(alertKind));
    }
}
