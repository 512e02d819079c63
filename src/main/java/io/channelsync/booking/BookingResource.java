package io.channelsync.booking;

import io.channelsync.property.PmsProperties;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/properties/{id}/bookings}: the PMS bookings of a property as channel-sync
 * holds them (from every channel, newest stay first, paginated like every list), so an operator can
 * see what a webhook stored. Another agency's property is a 404.
 */
@Component("bookingResource")
public class BookingResource {

    private final NamedParameterJdbcTemplate sql;
    private final PmsProperties properties;
    private final ApiRequests requests;
    private final ApiResponses responses;

    public BookingResource(NamedParameterJdbcTemplate sql, PmsProperties properties, ApiRequests requests, ApiResponses responses) {
        this.sql = sql;
        this.properties = properties;
        this.requests = requests;
        this.responses = responses;
    }

    public void listForProperty(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID property = ApiRequests.pathId(exchange, "id", "property");
        ApiRequests.Page page = requests.page(exchange);
        properties.findVisible(property, caller);
        var params = new MapSqlParameterSource("property", property)
                .addValue("limit", page.limit() + 1)
                .addValue("offset", page.offset());
        List<Map<String, Object>> bookings = sql.queryForList("""
                select id, property_id, platform, reservation_code, check_in, check_out, status, guest_name, guests,
                       total_amount, currency, source_updated_at, created_at, updated_at
                from bookings where property_id = :property
                order by check_in desc, id limit :limit offset :offset""", params);
        responses.reply(exchange, 200, page.of(bookings));
    }
}
