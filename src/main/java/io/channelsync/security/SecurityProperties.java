package io.channelsync.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * @param operatorKeys  API keys that see every agency ({@code CHANNEL_SYNC_SECURITY_OPERATOR_KEYS},
 *                      comma-separated); agencies' own keys live hashed in {@code api_keys}
 * @param encryptionKey base64 of 32 bytes: the AES-256 key of channel credentials at rest
 *                      ({@code CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY}); checked at start-up by {@link CredentialCipher}
 */
@ConfigurationProperties("channel-sync.security")
public record SecurityProperties(List<String> operatorKeys, String encryptionKey) {

    public SecurityProperties {
        operatorKeys = operatorKeys == null ? List.of()
                : operatorKeys.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "SecurityProperties[operatorKeys=" + operatorKeys.size() + " key(s), encryptionKey=(hidden)]";
    }
}
