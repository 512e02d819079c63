package io.channelsync.channel;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

/**
 * A channel's reservations for one listing, read page by page: only one page is in memory at a time.
 * A connector's optional part ({@link ChannelConnector#reservations()}), read by reconciliation.
 */
public interface ReservationPages {

    /** The platform, as in {@code channel_mappings.platform}. */
    String platform();

    /**
     * Calls {@code page} with each page of the reservations of a listing whose stay overlaps
     * {@code [from, to]}, in the channel's order.
     *
     * @param roomId the mapping's room; null for a channel without rooms
     * @throws IOException the channel could not be reached or answered an error ({@link ChannelCallException})
     */
    void forEachPage(String listingId, String roomId, LocalDate from, LocalDate to, PageConsumer page) throws IOException;

    @FunctionalInterface
    interface PageConsumer {
        void accept(List<ChannelReservation> reservations);
    }
}
