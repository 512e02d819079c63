package io.channelsync.channel;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;

/**
 * The events a channel sends us: how a webhook names its event (at intake, before it is stored), and
 * what a stored event asks of the PMS (at processing). The generic processing stores the
 * reservations, creates the sync jobs for the property's other channels and commits, then runs
 * {@link Changes#afterCommit()} with what became of each reservation (Booking.com acknowledges them).
 */
public interface InboundEvents {

    /** A webhook's event id (the duplicate key) and type. */
    record EventName(String id, String type) {
    }

    /**
     * Reads the id and type of a signed webhook body.
     *
     * @param payload  the body, parsed as a JSON object
     * @param rawBody  the exact bytes received
     * @param signedId the event id the signature scheme carried (e.g. {@code webhook-id}), or null
     * @return the name; an id that is null or blank refuses the delivery with 400
     */
    EventName name(JsonNode payload, byte[] rawBody, String signedId);

    /**
     * What a stored event means, decided before the processing transaction opens: a call to the channel
     * made here holds no transaction and no row lock (issue 11 item 7). An exception retries the event.
     * The event may meanwhile be applied by another consumer; then the changes are dropped and
     * {@link Changes#afterCommit()} is not run.
     */
    Changes apply(InboundEvent event) throws IOException;

    /**
     * @param reservations the reservations to store, in order (empty: nothing to apply)
     * @param note         what the event was, kept on the processed row (may be null)
     * @param afterCommit  run once the transaction committed (or failed the event) with one outcome per
     *                     reservation, in the same order
     */
    record Changes(List<ChannelReservation> reservations, String note, AfterCommit afterCommit) {
        public Changes {
            reservations = List.copyOf(reservations);
            afterCommit = afterCommit == null ? outcomes -> { } : afterCommit;
        }

        public static Changes nothing(String note) {
            return new Changes(List.of(), note, null);
        }

        public static Changes store(List<ChannelReservation> reservations, String note) {
            return new Changes(reservations, note, null);
        }
    }

    /** What became of one reservation: stored (or already as new), or the problem that kept it out. */
    record Outcome(ChannelReservation reservation, String problem) {
        public boolean stored() {
            return problem == null;
        }
    }

    /** An action after the commit; a failure is logged, never undoes the commit. */
    @FunctionalInterface
    interface AfterCommit {
        void run(List<Outcome> outcomes) throws IOException;
    }
}
