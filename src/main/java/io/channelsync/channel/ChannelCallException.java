package io.channelsync.channel;

import java.io.IOException;

/**
 * A channel API answered with an error status. {@link #isTransient()} tells the retry policy
 * whether trying again can help: 5xx and 429 can, other 4xx cannot.
 */
public class ChannelCallException extends IOException {

    private final String platform;
    private final int status;
    private final String retryAfter;

    public ChannelCallException(String platform, int status, String message, String retryAfter) {
        super(platform + ": " + message);
        this.platform = platform;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public String platform() {
        return platform;
    }

    public int status() {
        return status;
    }

    /** The channel's Retry-After header (seconds or an HTTP date), or null. */
    public String retryAfter() {
        return retryAfter;
    }

    public boolean isTransient() {
        return status >= 500 || status == 429;
    }
}
