package io.channelsync.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyBookingsApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPropertysBookingsArePagedNewestStayFirstAndHiddenFromOtherAgencies() throws Exception {
        var agency = data.agency();
        UUID property = data.property(agency.id());
        for (int i = 0; i < 3; i++) {
            LocalDate checkIn = LocalDate.of(2027, 1, 1).plusDays(10L * i);
            jdbc.update("""
                    insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status, guests)
                    values (?, ?, 'airbnb', ?, ?, ?, 'confirmed', 2)""",
                    agency.id(), property, "HM" + UUID.randomUUID().toString().substring(0, 8), checkIn, checkIn.plusDays(3));
        }
        String path = "/api/v1/properties/" + property + "/bookings";

        JsonNode first = JSON.readTree(api.get(path + "?limit=2", agency.apiKey()).body());
        assertThat(first.path("items")).extracting(b -> b.path("check_in").asText()).containsExactly("2027-01-21", "2027-01-11");
        assertThat(first.path("next_offset").asInt()).isEqualTo(2);
        JsonNode last = JSON.readTree(api.get(path + "?limit=2&offset=2", agency.apiKey()).body());
        assertThat(last.path("items")).hasSize(1);
        assertThat(last.path("next_offset").isNull()).isTrue();

        assertThat(api.get(path, data.agency().apiKey()).statusCode()).as("another agency").isEqualTo(404);
        assertThat(api.get(path, OPERATOR_KEY).statusCode()).isEqualTo(200);
        assertThat(api.get(path, null).statusCode()).isEqualTo(401);
    }
}
