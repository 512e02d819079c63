package io.channelsync.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key check that stops the start-up, and the AES-GCM envelope (no Spring needed for either). */
class CredentialCipherTest {

    private static CredentialCipher cipher(String key) {
        return new CredentialCipher(new SecurityProperties(List.of(), key));
    }

    @Test
    void aMissingOrMalformedKeyFailsNamingTheVariable() {
        assertThatThrownBy(() -> cipher(null)).hasMessageContaining("CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY is not set");
        assertThatThrownBy(() -> cipher("not base64 !")).hasMessageContaining("CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY is not valid base64");
        assertThatThrownBy(() -> cipher(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY decodes to 16 bytes, not 32");
    }

    @Test
    void aValueDecryptsOnlyUnderItsKeyAndForItsRow() {
        CredentialCipher cipher = cipher(Base64.getEncoder().encodeToString(new byte[32]));
        byte[] plain = "{\"oauth_token\": \"secret\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = cipher.encrypt(plain, "row-1");
        assertThat(sealed).hasSize(12 + plain.length + 16);
        assertThat(cipher.encrypt(plain, "row-1")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(cipher.decrypt(sealed, "row-1")).isEqualTo(plain);
        assertThatThrownBy(() -> cipher.decrypt(sealed, "row-2")).hasMessageContaining("do not decrypt");
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> cipher(Base64.getEncoder().encodeToString(otherKey)).decrypt(sealed, "row-1"))
                .hasMessageContaining("do not decrypt");
    }
}
