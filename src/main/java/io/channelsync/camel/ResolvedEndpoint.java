package io.channelsync.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;

/**
 * An endpoint URI resolved once, on first use, for a producer that sends to it on every event. Sending by URI makes
 * Camel resolve its property placeholders (environment, Spring property sources) and normalise it again on each send:
 * a quarter of the Booking.com store threads' CPU in the poll profile (issue 12), and a visible share of the intake's.
 * Lazy because the placeholders resolve only once the Camel context is up.
 */
public final class ResolvedEndpoint {

    private final CamelContext camel;
    private final String uri;
    private volatile Endpoint endpoint;

    public ResolvedEndpoint(CamelContext camel, String uri) {
        this.camel = camel;
        this.uri = uri;
    }

    public Endpoint get() {
        Endpoint resolved = endpoint;
        if (resolved == null) {
            resolved = camel.getEndpoint(uri);
            endpoint = resolved;
        }
        return resolved;
    }
}
