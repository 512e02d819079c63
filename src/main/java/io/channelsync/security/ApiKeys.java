package io.channelsync.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** How API keys look and how they are stored: only their SHA-256 is ever written down. */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PREFIX_LENGTH = 12;

    private ApiKeys() {
    }

    /** A new agency key: {@code csk_} and 32 random bytes, URL-safe base64. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "csk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The part of a key that is safe to show in logs and listings: at most a quarter of it, 12 characters at most. */
    public static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length() / 4));
    }
}
