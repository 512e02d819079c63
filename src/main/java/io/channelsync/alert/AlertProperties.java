package io.channelsync.alert;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Where drift alerts are sent ({@code channel-sync.alerts}). Without a webhook URL alerts are only
 * stored and logged. With one, a secret is required: every POST is signed with it.
 *
 * @param webhookUrl receives a JSON summary per alert ({@code CHANNEL_SYNC_ALERTS_WEBHOOK_URL})
 * @param secret     HMAC-SHA256 key of the {@code X-Channel-Sync-Signature} header ({@code CHANNEL_SYNC_ALERTS_SECRET})
 * @param timeout    how long one delivery may take
 */
@ConfigurationProperties("channel-sync.alerts")
public record AlertProperties(String webhookUrl, String secret, @DefaultValue("10s") Duration timeout) {

    public AlertProperties {
        if (webhookUrl != null && !webhookUrl.isBlank() && (secret == null || secret.isBlank())) {
            throw new IllegalArgumentException("channel-sync.alerts.webhook-url is set but channel-sync.alerts.secret "
                    + "(CHANNEL_SYNC_ALERTS_SECRET) is empty: alerts must be signed");
        }
    }

    public boolean webhookEnabled() {
        return webhookUrl != null && !webhookUrl.isBlank();
    }
}
