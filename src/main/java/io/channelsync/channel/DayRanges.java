package io.channelsync.channel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Folds consecutive nights that a channel would be sent alike into ranges, as channels take date ranges. */
public final class DayRanges {

    /** A run of consecutive days whose values (as the channel sees them) are equal; both ends inclusive. */
    public record Range<V>(LocalDate start, LocalDate end, V value) {
    }

    private DayRanges() {
    }

    /**
     * @param values what the channel is sent for a day; days with equal values (by {@code equals}) on
     *               consecutive dates become one range. A record of the sent fields is the usual value.
     */
    public static <V> List<Range<V>> fold(List<CalendarDay> days, Function<CalendarDay, V> values) {
        List<Range<V>> ranges = new ArrayList<>();
        Range<V> open = null;
        for (CalendarDay day : days.stream().sorted(Comparator.comparing(CalendarDay::date)).toList()) {
            V value = values.apply(day);
            if (open != null && open.end().plusDays(1).equals(day.date()) && Objects.equals(open.value(), value)) {
                open = new Range<>(open.start(), day.date(), value);
            } else {
                if (open != null) {
                    ranges.add(open);
                }
                open = new Range<>(day.date(), day.date(), value);
            }
        }
        if (open != null) {
            ranges.add(open);
        }
        return ranges;
    }
}
