package io.channelsync.sync;

import io.channelsync.channel.CalendarDay;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Monthly batching: how a year of changed nights is split into channel calls. */
class CalendarPushBatchesTest {

    private static List<CalendarDay> nights(LocalDate first, int count) {
        return Stream.iterate(first, day -> day.plusDays(1)).limit(count).map(day -> new CalendarDay(day, true, null, null)).toList();
    }

    @Test
    void aYearFromTheFirstOfAMonthIsTwelveOneMonthCallsOrSixTwoMonthCalls() {
        List<CalendarDay> year = nights(LocalDate.parse("2027-03-01"), 366); // to 2028-02-29 (a leap year)
        List<List<CalendarDay>> monthly = CalendarPush.byMonths(year, 1);
        List<List<CalendarDay>> twoMonthly = CalendarPush.byMonths(year, 2);

        assertThat(monthly).hasSize(12);
        assertThat(monthly.get(0)).hasSize(31);
        assertThat(monthly.get(11).get(monthly.get(11).size() - 1).date()).isEqualTo(LocalDate.parse("2028-02-29"));
        assertThat(twoMonthly).hasSize(6);
        assertThat(twoMonthly.get(0)).hasSize(31 + 30);
        assertThat(twoMonthly.get(0).get(60).date()).isEqualTo(LocalDate.parse("2027-04-30"));
        assertThat(twoMonthly.stream().mapToInt(List::size).sum()).isEqualTo(366);
    }

    @Test
    void groupsCountFromTheFirstChangedNightsMonthAndSkipMonthsWithoutChanges() {
        // changed nights in January, February and May: two-month groups Jan+Feb, then May (March/April empty)
        List<CalendarDay> changed = Stream.of(nights(LocalDate.parse("2027-01-30"), 3), nights(LocalDate.parse("2027-05-10"), 2))
                .flatMap(List::stream).toList();
        List<List<CalendarDay>> groups = CalendarPush.byMonths(changed, 2);

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).extracting(CalendarDay::date)
                .containsExactly(LocalDate.parse("2027-01-30"), LocalDate.parse("2027-01-31"), LocalDate.parse("2027-02-01"));
        assertThat(groups.get(1)).hasSize(2);
        assertThat(CalendarPush.byMonths(List.of(), 2)).isEmpty();
    }
}
