package io.channelsync.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the API answers with a status and a JSON body: {@code {"error", "message", ...details}}.
 * Thrown from processors; the {@code api} route configuration turns it into the response.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, Object> details;

    public ApiException(int status, String error, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.error = error;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message, null);
    }

    /** A field that breaks a rule: 422 naming the field and the rule. */
    public static ApiException invalidField(String field, String rule, String message) {
        return new ApiException(422, "validation_failed", message, Map.of("field", field, "rule", rule));
    }

    /** Not found, and also what another agency's resource looks like: it does not exist for this caller. */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "not_found", what + " " + id + " not found", null);
    }

    public static ApiException conflict(String message, Map<String, Object> details) {
        return new ApiException(409, "conflict", message, details);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    /** Writes this refusal as the servlet response, for the filters that answer before any route runs. */
    public void writeTo(HttpServletResponse response, ObjectMapper json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), body());
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", getMessage());
        body.putAll(details);
        return body;
    }
}
