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
    /**
     * A webhook delivery to a plainly named platform: letters, digits, {@code _} and {@code -} only, so no dot segment,
     * encoded character or path parameter, which Spring Security's firewall would have judged (these skip the chain).
     */
    private static final Pattern WEBHOOK = Pattern.compile("/api/v1/webhooks/(?!replay$)[A-Za-z0-9_-]+");

    private ChannelIntakePaths() {
    }

    public static boolean matches(HttpServletRequest request) {
        return isPost(request, INTAKE);
    }

    /** A webhook delivery itself ({@code POST /api/v1/webhooks/{platform}}, the platform plainly named), not a token request. */
    public static boolean isWebhook(HttpServletRequest request) {
        return isPost(request, WEBHOOK);
    }

    private static boolean isPost(HttpServletRequest request, Pattern path) {
        return "POST".equals(request.getMethod())
                && path.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }
}
