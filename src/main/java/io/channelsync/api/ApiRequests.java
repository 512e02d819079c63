package io.channelsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How the API reads what it is sent: the one request reader of every endpoint (webhooks, which
 * verify raw bytes, excepted). The rules, documented in the README:
 * <ul>
 * <li>the body is one JSON object of at most {@code channel-sync.api.max-body-bytes} (413 otherwise);</li>
 * <li>an <b>unknown field is refused</b>: 422 {@code {"field": "<name>", "rule": "unknown_field"}}, so a
 *     misspelt {@code "sync_enable": false} can never be silently ignored;</li>
 * <li>a value of the wrong JSON type is 422 with {@code "rule": "type"}; a broken JSON text is 400;</li>
 * <li>Jakarta Bean Validation constraints of the request record are checked; the first broken one (in
 *     the record's field order) is reported as 422 with the field and the rule ({@code required},
 *     {@code length}, ...).</li>
 * </ul>
 * Path ids that are not UUIDs (or numbers, for numbered resources) are 404 (no such resource), query
 * parameters of the wrong form 422. Lists take {@code limit}/{@code offset} ({@link #page}) and answer
 * {@link Page#of}.
 */
@Component
public class ApiRequests {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ObjectMapper json;
    private final Validator validator;
    private final ApiProperties properties;

    public ApiRequests(ObjectMapper json, Validator validator, ApiProperties properties) {
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        this.validator = validator;
        this.properties = properties;
    }

    /**
     * The request body's bytes, read once: the HTTP body arrives as a stream (cached by Camel), and a
     * second read of a consumed stream would find it empty, so the bytes are put back as the body.
     */
    private static byte[] bodyBytes(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(body);
        return body;
    }

    /** The body as a validated request record. */
    public <T> T read(Exchange exchange, Class<T> type) {
        return convert(readObject(exchange), type);
    }

    /** The body as a validated request record, or {@code absent} when the body is empty (an optional body). */
    public <T> T readOptional(Exchange exchange, Class<T> type, T absent) {
        byte[] body = bodyBytes(exchange);
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return absent;
        }
        return read(exchange, type);
    }

    /** The body as a JSON object (for PATCH, which merges it onto the stored resource). */
    public ObjectNode readObject(Exchange exchange) {
        if (!(readJson(exchange) instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return object;
    }

    /** The body as any JSON value (for the few endpoints that also take a list); size-limited, 400 unless JSON. */
    public JsonNode readJson(Exchange exchange) {
        byte[] body = bodyBytes(exchange);
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("a JSON request body is required");
        }
        if (body.length > properties.maxBodyBytes()) {
            throw tooLarge(properties.maxBodyBytes());
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("a JSON request body is required");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + firstLine(e));
        }
    }

    /** A JSON value as a validated request record: unknown fields and wrong types are 422. */
    public <T> T convert(JsonNode node, Class<T> type) {
        T value;
        try {
            value = json.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalidField(e.getPropertyName(), "unknown_field",
                    "unknown field '" + e.getPropertyName() + "'; accepted fields: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw ApiException.invalidField(field, "type", field + " has the wrong type: " + firstLine(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid: " + firstLine(e));
        }
        validate(value);
        return value;
    }

    /** Checks the Bean Validation constraints of a request record; the first broken one is a 422. */
    public void validate(Object value) {
        Set<ConstraintViolation<Object>> violations = validator.validate(value);
        if (violations.isEmpty()) {
            return;
        }
        List<String> order = value.getClass().isRecord()
                ? Arrays.stream(value.getClass().getRecordComponents()).map(RecordComponent::getName).toList()
                : List.of();
        ConstraintViolation<Object> first = violations.stream()
                .min(Comparator.comparingInt((ConstraintViolation<Object> v) -> {
                    int i = order.indexOf(v.getPropertyPath().toString());
                    return i < 0 ? Integer.MAX_VALUE : i;
                }).thenComparing(v -> v.getPropertyPath().toString()))
                .orElseThrow();
        String field = SNAKE.translate(first.getPropertyPath().toString());
        throw ApiException.invalidField(field, rule(first), field + " " + first.getMessage());
    }

    /** Answers 204 with no body (and none of the request's headers). */
    public static void noContent(Exchange exchange) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        out.setBody(null);
    }

    /** A path id: anything that is not a UUID names nothing, so it is a 404 like an unknown id. */
    public static UUID pathId(Exchange exchange, String header, String what) {
        String raw = exchange.getIn().getHeader(header, String.class);
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound(what, raw);
        }
    }

    /** A numeric path id (sync jobs, dead letters, reconciliation runs): anything else names nothing, so a 404. */
    public static long pathLong(Exchange exchange, String header, String what) {
        String raw = exchange.getIn().getHeader(header, String.class);
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.notFound(what, raw);
        }
    }

    /** An optional query parameter that must be one of {@code allowed}; another value is 422. */
    public static String queryOneOf(Exchange exchange, String name, Set<String> allowed) {
        String raw = exchange.getIn().getHeader(name, String.class);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        if (!allowed.contains(value)) {
            throw ApiException.invalidField(name, "one_of", name + " must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    /** An optional UUID query parameter; a malformed one is 422. */
    public static UUID queryUuid(Exchange exchange, String name) {
        String raw = exchange.getIn().getHeader(name, String.class);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(name, "uuid", name + " must be a UUID");
        }
    }

    /** An optional ISO-8601 time query parameter ({@code 2026-11-28T03:00:00Z}, any offset); a malformed one is 422. */
    public static java.time.Instant queryInstant(Exchange exchange, String name) {
        return instant(name, exchange.getIn().getHeader(name, String.class));
    }

    /** An optional ISO-8601 time (a query parameter's or a body field's value); a malformed one is 422 {@code "rule": "time"}. */
    public static java.time.Instant instant(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalidField(field, "time", field + " must be an ISO-8601 time with an offset, e.g. 2026-11-28T03:00:00Z");
        }
    }

    /** The {@code limit} and {@code offset} query parameters of a list endpoint. */
    public Page page(Exchange exchange) {
        int limit = queryInt(exchange, "limit", properties.defaultPageSize(), 1, properties.maxPageSize());
        int offset = queryInt(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        return new Page(limit, offset);
    }

    /**
     * @param limit  how many items at most
     * @param offset how many to skip
     */
    public record Page(int limit, int offset) {
        /** The list response, from a query that fetched {@code limit + 1} rows: {@code items}, {@code limit}, {@code offset}, {@code next_offset} (null on the last page). */
        public <T> Map<String, Object> of(List<T> fetchedOneMore) {
            boolean more = fetchedOneMore.size() > limit;
            List<T> items = more ? fetchedOneMore.subList(0, limit) : fetchedOneMore;
            var body = new java.util.LinkedHashMap<String, Object>();
            body.put("items", items);
            body.put("limit", limit);
            body.put("offset", offset);
            body.put("next_offset", more ? offset + limit : null);
            return body;
        }
    }

    private static int queryInt(Exchange exchange, String name, int defaultValue, int min, int max) {
        String raw = exchange.getIn().getHeader(name, String.class);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalidField(name, "range", name + " must be an integer from " + min + " to " + max);
    }

    static ApiException tooLarge(long max) {
        return new ApiException(413, "payload_too_large", "the request body exceeds " + max + " bytes", Map.of("max_bytes", max));
    }

    private static String rule(ConstraintViolation<?> violation) {
        var annotation = violation.getConstraintDescriptor().getAnnotation();
        if (annotation instanceof NotNull || annotation instanceof NotBlank) {
            return "required";
        }
        if (annotation instanceof Size) {
            return "length";
        }
        return SNAKE.translate(annotation.annotationType().getSimpleName());
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("body");
        return path;
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
