package io.channelsync.channel;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An inbound event as stored in {@code webhook_log}, ready to be applied.
 *
 * @param id        the webhook_log row: ties a stored booking version to the delivery it came in
 * @param eventTime when the channel says the event was made (the signed time of a webhook)
 * @param payload   the body parsed as JSON; null when the body is not JSON (an XML reservation a connector polled)
 * @param rawBody   the exact bytes received
 */
public record InboundEvent(long id, String platform, String eventId, String eventType, Instant eventTime,
                           JsonNode payload, byte[] rawBody) {
}
