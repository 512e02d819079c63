package io.channelsync.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.UUID;

/**
 * The outbox of outgoing events ({@code events}). {@link #record} is one INSERT on the caller's
 * connection: called inside the transaction of the change that causes the event, the event commits
 * (or rolls back) with it. Delivery happens later, outside any transaction (route subscription-dispatch).
 */
@Component
public class Events {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public Events(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * @param agencyId the agency the event belongs to; null: channel-wide, for every subscription of the type
     * @param data     the event's {@code data} object as the receiver gets it
     */
    public void record(String type, UUID agencyId, Map<String, ?> data) {
        try {
            jdbc.update("insert into events (type, agency_id, data) values (?, ?, cast(? as jsonb))",
                    type, agencyId, json.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data of " + type + " is not JSON", e);
        }
    }
}
