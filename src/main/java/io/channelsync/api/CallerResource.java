package io.channelsync.api;

import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/me}: who the presented key says you are; handy to check a key. */
@Component("callerResource")
public class CallerResource {

    private final ApiResponses responses;

    public CallerResource(ApiResponses responses) {
        this.responses = responses;
    }

    public void describe(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operator", caller.operator());
        body.put("agency_id", caller.agencyId());
        body.put("key_prefix", caller.keyPrefix());
        responses.reply(exchange, 200, body);
    }
}
