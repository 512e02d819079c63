package io.channelsync.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What PostgreSQL refuses in text and jsonb: the NUL code point (U+0000). JSON may carry it as the escape
 * {@code \u0000} and a URL as {@code %00}, and a signed delivery that carries it would be refused on every
 * redelivery, so it is replaced by U+FFFD (the replacement character: visibly "something was here") before
 * such a value is bound. Exact bytes ({@code bytea}) need no such care and are stored as received.
 */
public final class PostgresText {

    /** Stands in for a NUL the database cannot hold. */
    public static final char REPLACEMENT = '\uFFFD';
    private static final char NUL = '\u0000';

    private PostgresText() {
    }

    /** The text without NUL code points (the same instance when it has none). */
    public static String clean(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /** The values and names of a map, cleaned. */
    public static Map<String, String> clean(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(clean(k), clean(v)));
        return out;
    }

    /** A copy of the tree with every text value and field name cleaned (the tree itself when it has no NUL). */
    public static JsonNode clean(JsonNode node) {
        if (node == null || !hasNul(node)) {
            return node;
        }
        return copy(node);
    }

    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf(NUL) >= 0;
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().indexOf(NUL) >= 0 || hasNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode copy(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isTextual()) {
            return nodes.textNode(clean(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode out = nodes.objectNode();
            node.fields().forEachRemaining(field -> out.set(clean(field.getKey()), copy(field.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = nodes.arrayNode();
            node.forEach(element -> out.add(copy(element)));
            return out;
        }
        return node;
    }
}
