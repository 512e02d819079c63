package io.channelsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules every management API request follows: size, JSON shape, and the OpenAPI document. */
class ApiRequestRulesTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBodyLargerThanTheLimitIsRefusedWith413() throws Exception {
        var agency = data.agency();
        String big = "{\"name\": \"" + "x".repeat(70_000) + "\"}";
        var response = api.post("/api/v1/properties", agency.apiKey(), big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("payload_too_large");
        assertThat(jdbc.queryForObject("select count(*) from properties where agency_id = ?", Integer.class, agency.id())).isZero();
    }

    @Test
    void aChunkedBodyLargerThanTheLimitIsRefusedWith413() throws Exception {
        var agency = data.agency();
        byte[] big = ("{\"name\": \"" + "x".repeat(70_000) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/properties"))
                .header("Authorization", "Bearer " + agency.apiKey()).header("Content-Type", "application/json")
                // an InputStream publisher has no known length, so the body goes chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() throws Exception {
        var agency = data.agency();
        byte[] body = "{\"name\": \"Chunked Chalet\"}".getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/properties"))
                .header("Authorization", "Bearer " + agency.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void unreadableJsonIsA400AndANonObjectBodyToo() {
        var agency = data.agency();
        assertThat(api.post("/api/v1/properties", agency.apiKey(), "{\"name\": ").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/v1/properties", agency.apiKey(), "[\"x\"]").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/v1/properties", agency.apiKey(), "").statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownFieldIsRefusedWith422NamingIt() throws Exception {
        var agency = data.agency();
        var response = api.post("/api/v1/properties", agency.apiKey(), "{\"name\": \"x\", \"colour\": \"blue\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("field").asText()).isEqualTo("colour");
        assertThat(body.path("rule").asText()).isEqualTo("unknown_field");
    }

    @Test
    void unknownFieldsAreRefusedOnEveryEndpointNotOnlyTheManagementOnes() throws Exception {
        var agency = data.agency();
        String key = agency.apiKey();
        String property = "/api/v1/properties/" + data.property(agency.id());
        var responses = java.util.List.of(
                api.post("/api/v1/sync/availability", key, "{\"property_id\": \"" + java.util.UUID.randomUUID() + "\", \"platform\": \"airbnb\"}"),
                api.put(property + "/availability", key, "[{\"date\": \"2030-01-01\", \"available\": true, \"min_nights\": 2}]"),
                api.post("/api/v1/deadletters/requeue", key, "{\"platfrom\": \"airbnb\"}"),
                api.post("/api/v1/reconciliation/runs", key, "{\"agency\": \"" + agency.id() + "\"}"));
        for (var response : responses) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            assertThat(JSON.readTree(response.body()).path("rule").asText()).isEqualTo("unknown_field");
        }
        assertThat(JSON.readTree(responses.get(1).body()).path("field").asText()).isEqualTo("min_nights");
    }

    @Test
    void everyListAnswersItemsLimitOffsetAndNextOffset() throws Exception {
        var agency = data.agency();
        String key = agency.apiKey();
        for (String list : new String[] {"/api/v1/agencies/" + agency.id() + "/keys", "/api/v1/properties",
                "/api/v1/channel-mappings", "/api/v1/sync/jobs", "/api/v1/deadletters", "/api/v1/reconciliation/runs"}) {
            var response = api.get(list + "?limit=200&offset=0", key);
            assertThat(response.statusCode()).as(list + ": " + response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.fieldNames()).toIterable().as(list).containsExactly("items", "limit", "offset", "next_offset");
            assertThat(api.get(list + "?limit=201", key).statusCode()).as(list).isEqualTo(422);
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheApiToAnyKeyHolder() throws Exception {
        assertThat(api.get("/api/v1/openapi.json", null).statusCode()).isEqualTo(401);
        var response = api.get("/api/v1/openapi.json", data.agency().apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/api/v1/channel-mappings")).as(doc.path("paths").toString()).isTrue();
        assertThat(doc.path("paths").has("/api/v1/channel-mappings/{id}")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/properties")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/agencies/{id}/keys/{keyId}")).isTrue();
    }
}
