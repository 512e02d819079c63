package io.channelsync.security;

import org.springframework.stereotype.Component;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts channel credentials at rest: AES-256-GCM with a random 96-bit nonce per value, stored as
 * {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}. The associated data binds a ciphertext to
 * the row it belongs to (the connection id), so a value copied onto another row does not decrypt.
 * <p>
 * The key is {@code CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY}: base64 of exactly 32 bytes. A missing or
 * malformed key stops the start-up with a message naming the variable.
 */
@Component
public class CredentialCipher {

    static final String ENV = "CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(SecurityProperties properties) {
        this.key = new SecretKeySpec(decodeKey(properties.encryptionKey()), "AES");
    }

    static byte[] decodeKey(String base64) {
        String hint = " (channel-sync.security.encryption-key): base64 of 32 random bytes, e.g. `openssl rand -base64 32`";
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(ENV + " is not set" + hint);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV + " is not valid base64" + hint);
        }
        if (raw.length != 32) {
            throw new IllegalStateException(ENV + " decodes to " + raw.length + " bytes, not 32" + hint);
        }
        return raw;
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws IllegalStateException the value was not sealed under this key for this associated data */
    public byte[] decrypt(byte[] stored, String associatedData) {
        if (stored == null || stored.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("stored credentials are too short to be AES-GCM ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("stored credentials do not decrypt under " + ENV + " (wrong key, or not this row's)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
