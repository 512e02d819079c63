package io.channelsync.webhook;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * Finds the webhook intake's handler for a delivery ({@link ChannelIntakePaths#isWebhook}) directly. Spring MVC
 * would look it up among every API route's mapping: {@code /api/v1/webhooks/{platform}} is a pattern, not a
 * literal path, so each of the fifty was matched in turn, a fifth of the intake's samples in the profile (issue 12).
 * The handler is the one platform-http registers for that route ({@code webhook-receive}), handed over by the
 * engine when it creates the route's consumer ({@link io.channelsync.api.PlatformHttpOnRequestThread}); until
 * then, and for every other request, this mapping has nothing and Spring MVC's own lookup applies.
 */
@Component
public class WebhookHandlerMapping extends AbstractHandlerMapping {

    /** The intake route's platform-http path, as {@code routes/webhook-intake.camel.yaml} names it. */
    public static final String ROUTE_PATH = "/api/v1/webhooks/{platform}";

    private volatile HandlerMethod intake;

    public WebhookHandlerMapping() {
        setOrder(Ordered.HIGHEST_PRECEDENCE); // ahead of the actuator's and Camel's mappings, which would search theirs first
    }

    /** The intake route's handler: its consumer and the consumer's servlet method. */
    public void intake(HandlerMethod handler) {
        this.intake = handler;
    }

    @Override
    protected Object getHandlerInternal(HttpServletRequest request) {
        HandlerMethod handler = intake;
        if (handler == null || !ChannelIntakePaths.isWebhook(request)) {
            return null;
        }
        // what Spring MVC's own match would leave: the pattern for logs and the http.server.requests uri tag
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, ROUTE_PATH);
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(ROUTE_PATH));
        return handler;
    }
}
