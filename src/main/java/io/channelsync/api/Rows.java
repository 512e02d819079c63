package io.channelsync.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows as JSON-ready maps: columns by name (already snake_case), timestamptz as ISO times, jsonb as JSON, dates as dates. */
public final class Rows {

    private Rows() {
    }

    public static RowMapper<Map<String, Object>> json(ObjectMapper json) {
        return (rs, i) -> {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                String name = meta.getColumnLabel(c);
                String type = meta.getColumnTypeName(c);
                Object value = switch (type) {
                    case "timestamptz" -> rs.getObject(c, OffsetDateTime.class);
                    case "date" -> rs.getObject(c, LocalDate.class);
                    case "jsonb", "json" -> readJson(json, rs.getString(c));
                    default -> rs.getObject(c);
                };
                row.put(name, value);
            }
            return row;
        };
    }

    private static Object readJson(ObjectMapper json, String text) throws SQLException {
        try {
            return text == null ? null : json.readTree(text);
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable JSON column", e);
        }
    }
}
