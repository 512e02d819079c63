package io.channelsync.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.api.BufferedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body limit of the channel webhooks ({@code /api/v1/webhooks/{platform}}), enforced while
 * reading and before Camel sees the request: platform-http would otherwise read the whole body into
 * memory first (one 700 MB chunked POST exhausted the heap). A declared {@code Content-Length} over
 * {@code channel-sync.webhooks.max-body-bytes} is refused at once; any other body is read up to the
 * limit plus one byte, and refused there without reading the rest. A body that fits is handed on as
 * those bytes. A {@code Content-Encoding} other than identity is 415: a compressed body is never
 * inflated. Each refusal is answered with a JSON body and logged as a {@code rejected} row.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebhookBodyFilter extends OncePerRequestFilter {

    static final String PATH_PREFIX = "/api/v1/webhooks/";
    private static final Logger log = LoggerFactory.getLogger(WebhookBodyFilter.class);
    private static final Set<String> UNSTORED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final int maxBytes;
    private final WebhookLog webhookLog;
    private final ObjectMapper json;

    public WebhookBodyFilter(WebhookProperties properties, WebhookLog webhookLog, ObjectMapper json) {
        this.maxBytes = properties.maxBodyBytes();
        this.webhookLog = webhookLog;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ChannelIntakePaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            refuse(request, response, new ApiException(415, "unsupported_media_type",
                    "Content-Encoding " + encoding.trim() + " is not accepted: send the body uncompressed", null));
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response, tooLarge("body of " + declared + " bytes exceeds the limit of " + maxBytes));
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            refuse(request, response, tooLarge("body exceeds the limit of " + maxBytes + " bytes"));
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private ApiException tooLarge(String message) {
        return new ApiException(413, "payload_too_large", message, Map.of("max_bytes", maxBytes));
    }

    /** Answers the refusal (closing the connection: the rest of the body is never read) and logs it as rejected. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, ApiException refusal) throws IOException {
        String platform = path(request).substring(PATH_PREFIX.length());
        logRejected(platform, request, refusal);
        response.setHeader("Connection", "close");
        refusal.writeTo(response, json);
    }

    private void logRejected(String platform, HttpServletRequest request, ApiException refusal) {
        if (!platform.matches("[a-z][a-z0-9_]{0,39}")) {
            log.warn("webhook to unknown path {} refused with {}: {}", PATH_PREFIX + "?", refusal.status(), refusal.getMessage());
            return;
        }
        try {
            long id = webhookLog.insertRejected(platform, headers(request), null, false, refusal.getMessage());
            log.warn("{} webhook refused with {} before Camel read it, logged as rejected {}: {}", platform, refusal.status(), id,
                    refusal.getMessage());
        } catch (RuntimeException e) {
            // an unknown platform (the table's check) or a database that is down: the refusal stands
            log.warn("{} webhook refused with {} ({}); the rejection could not be logged: {}", platform, refusal.status(),
                    refusal.getMessage(), e.getMessage());
        }
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!UNSTORED_HEADERS.contains(name.toLowerCase())) {
                headers.put(name, request.getHeader(name));
            }
        }
        return headers;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
