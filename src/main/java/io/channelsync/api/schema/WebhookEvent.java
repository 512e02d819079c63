package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** An inbound channel event from the event log; {@code headers} (secrets redacted), {@code raw_body}, {@code raw_body_encoding} (utf-8 or base64), {@code payload}, {@code replayable} and {@code attempts} only on {@code GET /api/v1/webhooks/{id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookEvent(long id, String platform, String eventId, String eventType,
                           OffsetDateTime eventTime, String status, String error, boolean signatureValid,
                           String listingId, UUID agencyId, long attemptCount, OffsetDateTime receivedAt,
                           OffsetDateTime processedAt, OffsetDateTime updatedAt, JsonNode headers,
                           String rawBody, String rawBodyEncoding, JsonNode payload, Boolean replayable,
                           List<WebhookAttempt> attempts) {
}
