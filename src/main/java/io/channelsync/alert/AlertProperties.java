package io.channelsync.alert;

import io.channelsync.webhook.StandardWebhooksVerifier;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator alert webhook ({@code channel-sync.alerts}). Without a URL alerts are only stored and
 * logged. With one, every alert is delivered there as the subscription of kind {@code alerts}
 * (Standard Webhooks headers, retried like every subscription), signed with the secret, which must
 * be {@code whsec_<base64>}.
 *
 * @param webhookUrl receives every alert ({@code CHANNEL_SYNC_ALERTS_WEBHOOK_URL})
 * @param secret     the {@code whsec_} signing secret ({@code CHANNEL_SYNC_ALERTS_SECRET})
 */
@ConfigurationProperties("channel-sync.alerts")
public record AlertProperties(String webhookUrl, String secret) {

    public AlertProperties {
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            String hint = "channel-sync.alerts.webhook-url is set, so channel-sync.alerts.secret (CHANNEL_SYNC_ALERTS_SECRET) "
                    + "must be a Standard Webhooks secret, whsec_<base64 of 24 to 64 random bytes>: alerts are signed with it";
            if (secret == null || !secret.startsWith("whsec_")) {
                throw new IllegalArgumentException(hint);
            }
            try {
                StandardWebhooksVerifier.key(secret);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(hint);
            }
        }
    }

    public boolean webhookEnabled() {
        return webhookUrl != null && !webhookUrl.isBlank();
    }
}
