package io.channelsync.api;

import org.apache.camel.Exchange;

/**
 * {@code ?limit=&offset=} of a list endpoint: limit 1..500 (default 50), offset >= 0 (default 0).
 * Lists answer {@code {"items": [...], "limit", "offset", "total"}}.
 */
public record Paging(int limit, int offset) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static Paging of(Exchange exchange) {
        int limit = intParam(exchange, "limit", DEFAULT_LIMIT);
        int offset = intParam(exchange, "offset", 0);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ApiException.badRequest("offset must be 0 or more");
        }
        return new Paging(limit, offset);
    }

    private static int intParam(Exchange exchange, String name, int fallback) {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number");
        }
    }
}
