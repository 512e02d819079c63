package io.channelsync.property;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAgencyCreatesAPropertyForItselfAndReadsItBack() throws Exception {
        var agency = data.agency();
        var created = api.post("/api/v1/properties", agency.apiKey(), "{\"name\": \"Blue Cottage\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode property = JSON.readTree(created.body());
        assertThat(property.path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(property.path("name").asText()).isEqualTo("Blue Cottage");
        String id = property.path("id").asText();

        var read = api.get("/api/v1/properties/" + id, agency.apiKey());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("name").asText()).isEqualTo("Blue Cottage");
        var listed = JSON.readTree(api.get("/api/v1/properties", agency.apiKey()).body());
        assertThat(listed.path("items")).extracting(n -> n.path("id").asText()).containsExactly(id);
    }

    @Test
    void anOperatorMustNameAnExistingAgency() throws Exception {
        var missing = api.post("/api/v1/properties", OPERATOR_KEY, "{\"name\": \"x\"}");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(missing.body()).path("field").asText()).isEqualTo("agency_id");
        var unknown = api.post("/api/v1/properties", OPERATOR_KEY, "{\"name\": \"x\", \"agency_id\": \"" + UUID.randomUUID() + "\"}");
        assertThat(JSON.readTree(unknown.body()).path("rule").asText()).isEqualTo("unknown_agency");

        var agency = data.agency();
        var created = api.post("/api/v1/properties", OPERATOR_KEY, "{\"name\": \"x\", \"agency_id\": \"" + agency.id() + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @Test
    void anAgencyCannotCreateAPropertyForAnotherAgency() throws Exception {
        var mine = data.agency();
        var theirs = data.agency();
        var response = api.post("/api/v1/properties", mine.apiKey(), "{\"name\": \"x\", \"agency_id\": \"" + theirs.id() + "\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).path("rule").asText()).isEqualTo("unknown_agency");
        assertThat(jdbc.queryForObject("select count(*) from properties where agency_id = ?", Integer.class, theirs.id())).isZero();
    }

    @Test
    void anotherAgencysPropertyIsNotFoundAndNotListed() throws Exception {
        var theirs = data.agency();
        UUID theirProperty = data.property(theirs.id());
        var mine = data.agency();
        UUID myProperty = data.property(mine.id());

        assertThat(api.get("/api/v1/properties/" + theirProperty, mine.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/properties/not-a-uuid", mine.apiKey()).statusCode()).isEqualTo(404);
        var listed = JSON.readTree(api.get("/api/v1/properties", mine.apiKey()).body());
        assertThat(listed.path("items")).extracting(n -> n.path("id").asText()).containsExactly(myProperty.toString());
    }

    @Test
    void anOperatorKeySeesEveryAgencysProperties() throws Exception {
        var first = data.agency();
        var second = data.agency();
        UUID firstProperty = data.property(first.id());
        UUID secondProperty = data.property(second.id());
        assertThat(api.get("/api/v1/properties/" + firstProperty, OPERATOR_KEY).statusCode()).isEqualTo(200);
        assertThat(api.get("/api/v1/properties/" + secondProperty, OPERATOR_KEY).statusCode()).isEqualTo(200);
        var ofSecond = JSON.readTree(api.get("/api/v1/properties?agency_id=" + second.id(), OPERATOR_KEY).body());
        assertThat(ofSecond.path("items")).extracting(n -> n.path("id").asText()).containsExactly(secondProperty.toString());
    }

    @Test
    void propertiesNeedAKey() {
        assertThat(api.get("/api/v1/properties", null).statusCode()).isEqualTo(401);
        assertThat(api.post("/api/v1/properties", null, "{\"name\": \"x\"}").statusCode()).isEqualTo(401);
    }
}
