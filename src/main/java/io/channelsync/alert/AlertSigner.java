package io.channelsync.alert;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The alert webhook signature: {@code sha256=} followed by the lowercase hex HMAC-SHA256 of the exact
 * body bytes, keyed with {@code channel-sync.alerts.secret}. A receiver recomputes it over the bytes
 * it received and compares in constant time.
 */
public final class AlertSigner {

    public static final String HEADER = "X-Channel-Sync-Signature";

    private AlertSigner() {
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
