package io.channelsync.channel;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One night of a property's calendar as pushed to a channel.
 *
 * @param units             units left to sell (the night's units less those active bookings hold), never negative
 * @param price             nightly price in the property's currency; null when the PMS has none
 * @param currency          the property's currency (ISO 4217); null when it has none
 * @param minStayArrival    minimum nights for a stay arriving that night; null for none
 * @param minStayThrough    minimum nights for any stay that includes that night; null for none
 * @param maxStay           maximum nights for a stay arriving that night; null for none
 * @param closedToArrival   no stay may arrive that night
 * @param closedToDeparture no stay may end (check out) that day
 * @param stopSell          not sold at all that night, whatever units are left
 */
public record CalendarDay(LocalDate date, int units, BigDecimal price, String currency, Integer minStayArrival,
                          Integer minStayThrough, Integer maxStay, boolean closedToArrival, boolean closedToDeparture,
                          boolean stopSell) {

    /** The open/closed shorthand: one unit or none, a minimum stay for arrivals, a price, no other restriction. */
    public CalendarDay(LocalDate date, boolean available, Integer minStay, BigDecimal price) {
        this(date, available ? 1 : 0, price, null, minStay, null, null, false, false, false);
    }

    /** Whether the night can be sold: a unit left and no stop sell. */
    public boolean available() {
        return units > 0 && !stopSell;
    }
}
