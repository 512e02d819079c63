package io.channelsync.webhook;

import jakarta.servlet.http.HttpServletRequest;

import java.util.regex.Pattern;

/**
 * Which requests are the channels' own, the one place that says so: {@code POST /api/v1/webhooks/{platform}}
 * (webhook-intake) and a channel's token endpoint {@code POST /api/v1/webhooks/{platform}/token} (Booking.com's CNS).
 * They prove themselves by signature or client credentials, never by an API key, and have the webhook body limit.
 * Everything else under {@code /api/v1/webhooks} is the event log API (issue 14.1: listing, reading, replaying),
 * which needs an API key like the rest of {@code /api/v1}; so {@code replay} can never be a platform's name.
 */
public final class ChannelIntakePaths {

    private static final Pattern INTAKE = Pattern.compile("/api/v1/webhooks/(?!replay$)[^/]+(/token)?");

    private ChannelIntakePaths() {
    }

    public static boolean matches(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && INTAKE.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    /** A webhook delivery itself ({@code POST /api/v1/webhooks/{platform}}), not a token request. */
    public static boolean isWebhook(HttpServletRequest request) {
        return matches(request) && !request.getRequestURI().endsWith("/token");
    }
}
