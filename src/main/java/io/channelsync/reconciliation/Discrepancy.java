package io.channelsync.reconciliation;

import java.util.Map;
import java.util.UUID;

/**
 * One finding of a run, as stored in {@code reconciliation_log}.
 *
 * @param pmsValue     what the PMS holds (null when it holds nothing)
 * @param channelValue what the channel holds (null when it holds nothing)
 */
public record Discrepancy(Kind kind, UUID mappingId, UUID propertyId, String reservationCode,
                          Map<String, Object> pmsValue, Map<String, Object> channelValue) {

    /** The kinds and their severities; a double booking is the worst case. */
    public enum Kind {
        missing_in_pms(Severity.warning),
        missing_on_channel(Severity.warning),
        dates_differ(Severity.warning),
        status_differs(Severity.warning),
        guests_differ(Severity.info),
        amount_differs(Severity.info),
        double_booking(Severity.critical),
        channel_unreachable(Severity.warning);

        public final Severity severity;

        Kind(Severity severity) {
            this.severity = severity;
        }
    }

    public enum Severity { info, warning, critical }
}
