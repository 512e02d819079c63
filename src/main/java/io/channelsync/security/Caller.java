package io.channelsync.security;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

import java.util.UUID;

/**
 * Who is calling the API: an agency (through one of its keys) or an operator (all agencies).
 * The authentication filter leaves the caller on the request, and {@link #of(Exchange)} reads it from
 * there: a route needs no thread-local SecurityContext (Camel may continue an exchange on another thread).
 *
 * @param agencyId  the agency the key belongs to; null for an operator
 * @param operator  true for an operator key from configuration
 * @param keyPrefix the first characters of the key, safe to log
 */
public record Caller(UUID agencyId, boolean operator, String keyPrefix) {

    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();
    private static final String EXCHANGE_PROPERTY = "channelSyncCaller";

    public static Caller operator(String keyPrefix) {
        return new Caller(null, true, keyPrefix);
    }

    public static Caller agency(UUID agencyId, String keyPrefix) {
        return new Caller(agencyId, false, keyPrefix);
    }

    /** True when this caller may see data of that agency. */
    public boolean canSee(UUID agency) {
        return operator || (agencyId != null && agencyId.equals(agency));
    }

    /** The caller of an API exchange; fails if the route was reached without authentication. */
    public static Caller of(Exchange exchange) {
        Caller caller = exchange.getProperty(EXCHANGE_PROPERTY, Caller.class);
        if (caller == null && exchange.getIn() instanceof PlatformHttpMessage http) {
            caller = fromRequest(http.getRequest());
            exchange.setProperty(EXCHANGE_PROPERTY, caller);
        }
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on exchange " + exchange.getExchangeId());
        }
        return caller;
    }

    static Caller fromRequest(HttpServletRequest request) {
        return request == null ? null : (Caller) request.getAttribute(REQUEST_ATTRIBUTE);
    }

    @Override
    public String toString() {
        return operator ? "operator(" + keyPrefix + ")" : "agency(" + agencyId + ", " + keyPrefix + ")";
    }
}
