package io.channelsync.channel.airbnb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Airbnb's reservation {@code status_type} in the PMS's vocabulary (docs/channels.md names the
 * evidence): {@code accept} → confirmed; {@code pending} → pending; {@code deny}, {@code timeout},
 * {@code cancelled_by_host}, {@code cancelled_by_guest}, {@code cancelled_by_admin} → cancelled.
 * <p>
 * An unknown value never fails the reservation: it is kept as {@code pending} (its nights stay held,
 * the safe side against a double booking), the raw value stays in the stored event, and a WARN line
 * names it so the mapping can be extended.
 */
public final class AirbnbStatus {

    private static final Logger log = LoggerFactory.getLogger(AirbnbStatus.class);

    /** Every documented status_type and what it means for the PMS. */
    public static final Map<String, String> TO_PMS = Map.of(
            "accept", "confirmed",
            "pending", "pending",
            "deny", "cancelled",
            "timeout", "cancelled",
            "cancelled_by_host", "cancelled",
            "cancelled_by_guest", "cancelled",
            "cancelled_by_admin", "cancelled");

    /** What an unknown status_type is kept as. */
    public static final String UNKNOWN_KEPT_AS = "pending";

    private AirbnbStatus() {
    }

    /**
     * @param statusType  Airbnb's value (not null)
     * @param reservation the confirmation code, for the log line
     * @return confirmed, pending or cancelled
     */
    public static String toPms(String statusType, String reservation) {
        String status = TO_PMS.get(statusType);
        if (status == null) {
            log.warn("Airbnb reservation {} has unknown status_type '{}': kept as {} (its nights stay held); extend AirbnbStatus",
                    reservation, statusType, UNKNOWN_KEPT_AS);
            return UNKNOWN_KEPT_AS;
        }
        return status;
    }

    public static boolean known(String statusType) {
        return TO_PMS.containsKey(statusType);
    }
}
