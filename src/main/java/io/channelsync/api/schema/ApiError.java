package io.channelsync.api.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Every refusal (4xx): {@code error} (bad_request, unauthorized, forbidden, not_found, conflict, validation_failed, ...) and {@code message}; a 422 also names the {@code field} and the {@code rule} it breaks, a 409 may carry details such as {@code conflict}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiError(String error, String message, String field, String rule, String conflict) {
}
