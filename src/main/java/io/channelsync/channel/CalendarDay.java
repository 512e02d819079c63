package io.channelsync.channel;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One night of a property's calendar as pushed to a channel.
 *
 * @param minStay minimum nights for a stay arriving that day; null for none
 * @param price   nightly price; null when the PMS has none
 */
public record CalendarDay(LocalDate date, boolean available, Integer minStay, BigDecimal price) {
}
