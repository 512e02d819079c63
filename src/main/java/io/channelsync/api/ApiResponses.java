package io.channelsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The one way API processors answer: a status and a JSON body written with the service's
 * ObjectMapper (snake_case, ISO dates). Request headers are dropped from the reply so nothing the
 * caller sent (such as its Authorization header) is echoed back. Requests are read with {@link ApiRequests}.
 */
@Component
public class ApiResponses {

    private final ObjectMapper json;

    public ApiResponses(ObjectMapper json) {
        this.json = json;
    }

    public void reply(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            out.setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the response body", e);
        }
    }
}
