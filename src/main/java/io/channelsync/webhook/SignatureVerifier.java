package io.channelsync.webhook;

import org.apache.camel.Exchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One webhook signature scheme: {@link #check} verifies the raw body held in
 * {@link WebhookIntake#RAW_BODY} against the secrets of the exchange's platform, and either sets
 * {@link WebhookIntake#EVENT_TIME} (and {@link WebhookIntake#EVENT_ID} when the scheme carries one)
 * or throws a 401 {@link WebhookRejection}. Schemes know no channel: which scheme a platform uses is
 * configuration ({@code channel-sync.webhooks.<platform key>.scheme}); see {@link WebhookSignatureCheck}.
 * <p>
 * To add a scheme: subclass this, make it a Spring bean, return its configuration name from
 * {@link #scheme()}, and name it in {@code application.yaml}.
 */
public abstract class SignatureVerifier {

    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");
    /** One Mac per request thread (its provider lookup was a visible share of the intake); init resets it per call. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    /** What a valid signature tells us: the signed time, and the event id if the scheme signs one. */
    public record Verified(Instant eventTime, String eventId) {
    }

    private final WebhookProperties properties;
    private final Clock clock;

    protected SignatureVerifier(WebhookProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The name used in {@code channel-sync.webhooks.<platform>.scheme}. */
    public abstract String scheme();

    /**
     * Whether the scheme checks against {@code channel-sync.webhooks.<platform>.secrets}; a scheme that
     * carries its own credential (a bearer token: {@code cns-jwt}) answers false and gets no secrets.
     */
    public boolean usesSecrets() {
        return true;
    }

    /**
     * @param header  a request header by name (case-insensitive), or null
     * @param body    the exact bytes received
     * @param secrets every currently valid secret; any may have signed
     */
    public abstract Verified verify(Function<String, String> header, byte[] body, List<String> secrets,
                                    Instant now, Duration tolerance);

    /** Verifies the exchange's delivery with the platform's settings (its block of {@code channel-sync.webhooks}). */
    public void check(Exchange exchange, WebhookProperties.Channel settings) {
        String platform = exchange.getProperty(WebhookIntake.PLATFORM, String.class);
        byte[] body = exchange.getProperty(WebhookIntake.RAW_BODY, byte[].class);
        List<String> secrets = settings.secrets();
        if (usesSecrets() && secrets.isEmpty()) {
            throw WebhookRejection.signature("no webhook secret is configured for " + platform);
        }
        Verified verified = verify(name -> exchange.getIn().getHeader(name, String.class), body, secrets,
                clock.instant(), properties.tolerance());
        exchange.setProperty(WebhookIntake.SIGNATURE_VALID, true);
        exchange.setProperty(WebhookIntake.EVENT_TIME, verified.eventTime());
        if (verified.eventId() != null) {
            exchange.setProperty(WebhookIntake.EVENT_ID, verified.eventId());
        }
    }

    /** Refuses a timestamp older or newer than the tolerance. */
    protected static Instant checkTimestamp(String seconds, Instant now, Duration tolerance) {
        if (seconds == null || !UNIX_SECONDS.matcher(seconds).matches()) {
            throw WebhookRejection.signature("malformed signature timestamp");
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(seconds));
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            throw WebhookRejection.signature("signature timestamp outside the tolerance of " + tolerance.toSeconds() + " s");
        }
        return signedAt;
    }

    protected static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
