package io.channelsync.api;

import org.apache.camel.Exchange;

import java.util.Set;
import java.util.UUID;

/** Path and query parameters (Camel headers) read as typed values, a bad one answering 400 (404 for an id in the path). */
public final class RequestParams {

    private RequestParams() {
    }

    public static String text(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static String oneOf(Exchange exchange, String name, Set<String> allowed) {
        String value = text(exchange, name);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.badRequest(name + " must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    public static UUID uuid(Exchange exchange, String name) {
        String value = text(exchange, name);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be a UUID");
        }
    }

    /** A numeric id from the path; anything else is a resource that does not exist. */
    public static long pathId(Exchange exchange, String name, String what) {
        String value = text(exchange, name);
        try {
            return Long.parseLong(value);
        } catch (RuntimeException e) {
            throw ApiException.notFound(what, value);
        }
    }

    /** A UUID from the path; anything else is a resource that does not exist. */
    public static UUID pathUuid(Exchange exchange, String name, String what) {
        String value = text(exchange, name);
        try {
            return UUID.fromString(value);
        } catch (RuntimeException e) {
            throw ApiException.notFound(what, value);
        }
    }
}
