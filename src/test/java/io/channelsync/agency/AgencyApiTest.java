package io.channelsync.agency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.security.ApiKeys;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AgencyApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOperatorCreatesAnAgencyAndGetsItsFirstKeyOnceStoredOnlyAsAHash() throws Exception {
        var response = api.post("/api/v1/agencies", OPERATOR_KEY, "{\"name\": \"Seaside Rentals\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        UUID agencyId = UUID.fromString(body.path("id").asText());
        String key = body.path("api_key").path("key").asText();
        assertThat(body.path("name").asText()).isEqualTo("Seaside Rentals");
        assertThat(key).startsWith("csk_");
        assertThat(body.path("api_key").path("key_prefix").asText()).isEqualTo(ApiKeys.prefix(key));

        assertThat(jdbc.queryForObject("select key_hash from api_keys where agency_id = ?", String.class, agencyId))
                .isEqualTo(ApiKeys.hash(key));
        assertThat(jdbc.queryForObject("select count(*) from api_keys where key_hash = ? or key_prefix = ?", Integer.class, key, key)).isZero();

        var me = api.get("/api/v1/me", key);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains(agencyId.toString());
        var keys = api.get("/api/v1/agencies/" + agencyId + "/keys", key);
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).doesNotContain(key).contains(ApiKeys.prefix(key));
    }

    @Test
    void anAgencyKeyCannotCreateAgencies() {
        var agency = data.agency();
        var response = api.post("/api/v1/agencies", agency.apiKey(), "{\"name\": \"Sneaky\"}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden\"");
    }

    @Test
    void anAgencyNeedsAName() throws Exception {
        var response = api.post("/api/v1/agencies", OPERATOR_KEY, "{\"name\": \"  \"}");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("field").asText()).isEqualTo("name");
        assertThat(body.path("rule").asText()).isEqualTo("required");
    }

    @Test
    void anIssuedKeyWorksAndARevokedKeyGets401() throws Exception {
        var agency = data.agency();
        var issued = api.post("/api/v1/agencies/" + agency.id() + "/keys", agency.apiKey(), "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(issued.body());
        String second = key.path("key").asText();
        assertThat(api.get("/api/v1/me", second).statusCode()).isEqualTo(200);

        var revoked = api.delete("/api/v1/agencies/" + agency.id() + "/keys/" + key.path("id").asText(), OPERATOR_KEY);
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", second).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", agency.apiKey()).statusCode()).as("the agency's other key still works").isEqualTo(200);
        assertThat(jdbc.queryForObject("select revoked_at is not null from api_keys where id = ?::uuid", Boolean.class,
                key.path("id").asText())).isTrue();
    }

    @Test
    void anotherAgencysKeysAreNotFound() {
        var mine = data.agency();
        var theirs = data.agency();
        UUID theirKey = jdbc.queryForObject("select id from api_keys where agency_id = ?", UUID.class, theirs.id());

        assertThat(api.post("/api/v1/agencies/" + theirs.id() + "/keys", mine.apiKey(), "").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/agencies/" + theirs.id() + "/keys", mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/agencies/" + theirs.id(), mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.delete("/api/v1/agencies/" + theirs.id() + "/keys/" + theirKey, mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.delete("/api/v1/agencies/" + mine.id() + "/keys/" + theirKey, mine.apiKey()).statusCode())
                .as("their key under my agency's path").isEqualTo(404);
        assertThat(api.get("/api/v1/me", theirs.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void agencyEndpointsNeedAKey() {
        assertThat(api.post("/api/v1/agencies", null, "{\"name\": \"x\"}").statusCode()).isEqualTo(401);
        assertThat(api.post("/api/v1/agencies/" + UUID.randomUUID() + "/keys", null, "").statusCode()).isEqualTo(401);
    }
}
