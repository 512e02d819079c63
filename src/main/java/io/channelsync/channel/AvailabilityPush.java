package io.channelsync.channel;

import java.io.IOException;
import java.util.List;

/** A channel's availability (calendar) push for one mapped listing. */
@FunctionalInterface
public interface AvailabilityPush {

    /**
     * @param listing what the mapping names on the channel (listing, room, rate plan)
     * @param days    the PMS calendar, in date order, never empty
     * @return the HTTP status the channel answered (2xx)
     * @throws IOException         the channel could not be reached, or answered an error
     *                             ({@link ChannelCallException}; 5xx and 429 are transient)
     * @throws RuntimeException    a mapping the channel cannot take: permanent, never retried
     */
    int push(MappedListing listing, List<CalendarDay> days) throws IOException;
}
