package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A PMS booking as channel-sync holds it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Booking(UUID id, UUID propertyId, String platform, String reservationCode, LocalDate checkIn,
                      LocalDate checkOut, String status, String guestName, Integer guests,
                      BigDecimal totalAmount, String currency, OffsetDateTime sourceUpdatedAt,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
