package io.channelsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Writes the JSON error response for a failed API exchange (used by the {@code api} route
 * configuration): an {@link ApiException} as it says, unreadable JSON as 400, anything else as 500
 * without internals (those go to the log).
 */
@Component("apiErrorResponder")
public class ApiErrorResponder {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorResponder.class);
    private final ApiResponses responses;

    public ApiErrorResponder(ApiResponses responses) {
        this.responses = responses;
    }

    public void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        Map<String, Object> body;
        if (failure instanceof ApiException api) {
            status = api.status();
            body = api.body();
        } else if (failure instanceof JsonProcessingException parse) {
            status = 400;
            body = Map.of("error", "bad_request", "message", "request body is not valid JSON: " + parse.getOriginalMessage());
        } else {
            status = 500;
            body = Map.of("error", "internal_error", "message", "the request failed; see the service log for exchange " + exchange.getExchangeId());
            log.error("API request failed on route {} (exchange {})", exchange.getFromRouteId(), exchange.getExchangeId(), failure);
        }
        responses.reply(exchange, status, body);
    }
}
