package io.channelsync.api;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the management API.
 *
 * @param maxBodyBytes    largest request body accepted on {@code /api/v1/**} (webhooks excepted), in bytes
 *                        ({@code CHANNEL_SYNC_API_MAX_BODY_BYTES}); a larger one is answered 413
 * @param defaultPageSize page size of list endpoints when {@code limit} is not given
 * @param maxPageSize     largest {@code limit} a list endpoint accepts
 */
@Validated
@ConfigurationProperties("channel-sync.api")
public record ApiProperties(@DefaultValue("65536") @Min(256) long maxBodyBytes,
                            @DefaultValue("50") @Min(1) int defaultPageSize,
                            @DefaultValue("200") @Min(1) int maxPageSize) {
}
