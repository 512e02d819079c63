package io.channelsync.reconciliation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The daily reconciliation ({@code channel-sync.reconciliation}).
 *
 * @param cron              Quartz cron of the scheduled run ({@code CHANNEL_SYNC_RECONCILIATION_CRON}), daily at 03:00
 * @param timeZone          time zone of the cron ({@code CHANNEL_SYNC_RECONCILIATION_TIME_ZONE})
 * @param autoStartup       whether the scheduled route starts with the service (tests start it by hand)
 * @param daysAhead         stays from today up to this many days ahead are compared
 * @param changedWithinDays also compare bookings changed in the PMS within this many days, and look back as far on the channel
 * @param pageSize          bookings read from the database per page, and reservations asked from a channel per page
 */
@ConfigurationProperties("channel-sync.reconciliation")
public record ReconciliationProperties(@DefaultValue("0 0 3 * * ?") String cron,
                                       @DefaultValue("UTC") String timeZone,
                                       @DefaultValue("true") boolean autoStartup,
                                       @DefaultValue("365") int daysAhead,
                                       @DefaultValue("30") int changedWithinDays,
                                       @DefaultValue("200") int pageSize) {

    public ReconciliationProperties {
        if (daysAhead < 1 || changedWithinDays < 0 || pageSize < 1) {
            throw new IllegalArgumentException("channel-sync.reconciliation: days-ahead and page-size must be >= 1, changed-within-days >= 0");
        }
        java.time.ZoneId.of(timeZone); // fails fast on an unknown zone
    }
}
