package io.channelsync.webhook;

/**
 * A delivery we refuse: answered with {@link #status()} and logged as a {@code rejected} row with
 * the reason. 401 bad signature, 400 unusable body, 413 too large.
 */
public class WebhookRejection extends RuntimeException {

    private final int status;
    private final String error;

    public WebhookRejection(int status, String error, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static WebhookRejection signature(String reason) {
        return new WebhookRejection(401, "invalid_signature", reason);
    }

    public static WebhookRejection badRequest(String reason) {
        return new WebhookRejection(400, "bad_request", reason);
    }

    public static WebhookRejection tooLarge(String reason) {
        return new WebhookRejection(413, "payload_too_large", reason);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
