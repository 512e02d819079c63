package io.channelsync.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * @param operatorKeys API keys that see every agency ({@code CHANNEL_SYNC_SECURITY_OPERATOR_KEYS},
 *                     comma-separated); agencies' own keys live hashed in {@code api_keys}
 */
@ConfigurationProperties("channel-sync.security")
public record SecurityProperties(List<String> operatorKeys) {

    public SecurityProperties {
        operatorKeys = operatorKeys == null ? List.of()
                : operatorKeys.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }
}
