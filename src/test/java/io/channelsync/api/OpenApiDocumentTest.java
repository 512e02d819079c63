package io.channelsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/openapi.json} is what a PMS team generates its client from: every operation declares its
 * bodies and refusals, and the schemas name the fields the API really sends (checked against live answers).
 */
class OpenApiDocumentTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");
    /** Operations that take no body: the path says it all. */
    private static final Set<String> NO_BODY = Set.of("api-issue-agency-key", "api-redeliver", "api-post-deadletter-requeue",
            "api-post-deadletter-discard", "api-post-webhook-replay");

    private JsonNode doc;

    @BeforeEach
    void readDocument() throws Exception {
        var response = api.get("/api/v1/openapi.json", data.agency().apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        doc = JSON.readTree(response.body());
        // kept as a build artifact: what a client generator would read
        Files.writeString(Path.of("target", "openapi.json"), response.body());
    }

    @Test
    void everyOperationDeclaresItsBodiesAndItsRefusals() {
        List<String> checked = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String name = op.getKey() + " " + path.getKey() + " (" + op.getValue().path("operationId").asText() + ")";
            JsonNode responses = op.getValue().path("responses");
            List<String> success = new ArrayList<>();
            responses.fieldNames().forEachRemaining(code -> {
                if (code.startsWith("2")) {
                    success.add(code);
                }
            });
            assertThat(success).as(name + " answers with a 2xx").isNotEmpty();
            for (String code : success) {
                if (!code.equals("204")) {
                    assertThat(schemaOf(responses.path(code))).as(name + " " + code + " body").isNotNull();
                }
            }
            responses.properties().stream().filter(r -> r.getKey().startsWith("4")).forEach(r ->
                    assertThat(ref(schemaOf(r.getValue()))).as(name + " " + r.getKey()).isEqualTo("ApiError"));
            assertThat(responses.properties().stream().anyMatch(r -> r.getKey().startsWith("4"))).as(name + " refusals").isTrue();
            if (WITH_BODY.contains(op.getKey()) && !NO_BODY.contains(op.getValue().path("operationId").asText())) {
                JsonNode body = schemaOf(op.getValue().path("requestBody"));
                assertThat(body).as(name + " request body").isNotNull();
                assertThat(properties(ref(body))).as(name + " request fields").isNotEmpty();
            }
            checked.add(name);
        }));
        assertThat(checked).hasSizeGreaterThan(40);
    }

    @Test
    void everyOperationNeedsTheBearerKey() {
        assertThat(doc.path("components").path("securitySchemes").path("bearerAuth").path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security")).hasSize(1);
        assertThat(doc.path("security").get(0).has("bearerAuth")).as(doc.path("security").toString()).isTrue();
    }

    @Test
    void theSchemasNameTheFieldsOnTheWire() {
        assertThat(properties("ApiError")).containsAll(List.of("error", "message", "field", "rule"));
        assertThat(properties("WebhookEventPage")).containsExactlyInAnyOrder("items", "limit", "offset", "next_offset");
        assertThat(ref(schema("WebhookEventPage").path("properties").path("items").path("items"))).isEqualTo("WebhookEvent");
        assertThat(properties("WebhookEvent")).containsAll(List.of("event_id", "event_type", "signature_valid", "attempt_count",
                "received_at", "raw_body_encoding", "replayable", "attempts"));
        assertThat(properties("Subscription")).containsAll(List.of("url", "event_types", "status", "failing_since", "last_error", "secret"));
        assertThat(properties("DeadLetter")).containsAll(List.of("source_route", "exception_message", "deadlettered_at",
                "requeue_count", "stack_trace"));
        assertThat(properties("SubscriptionRequest")).containsAll(List.of("url", "event_types", "description", "agency_id"));
        assertThat(schema("SubscriptionRequest").path("required")).extracting(JsonNode::asText).contains("url", "event_types");
        assertThat(schema("MappingPatch").path("required").isMissingNode()).as("a patch requires nothing").isTrue();
    }

    @Test
    void liveAnswersCarryOnlyTheFieldsTheirSchemasName() throws Exception {
        var agency = data.agency();
        String key = agency.apiKey();
        assertFieldsOf(api.get("/api/v1/me", key).body(), "Me");
        assertFieldsOf(api.post("/api/v1/properties", key, "{\"name\": \"Schema Lodge\", \"currency\": \"EUR\"}").body(), "Property");
        assertPageOf(api.get("/api/v1/properties", key).body(), "PropertyPage", "Property");
        UUID property = data.property(agency.id());
        UUID mapping = data.airbnbMapping(agency.id(), property, TestData.uniqueListingId());
        assertFieldsOf(api.get("/api/v1/channel-mappings/" + mapping, key).body(), "ChannelMapping");
        assertPageOf(api.get("/api/v1/channel-connections", key).body(), "ChannelConnectionPage", "ChannelConnection");
        assertFieldsOf(api.post("/api/v1/subscriptions", key,
                "{\"url\": \"http://127.0.0.1:9/hooks\", \"event_types\": [\"booking.created\"]}").body(), "Subscription");
        assertPageOf(api.get("/api/v1/subscriptions", key).body(), "SubscriptionPage", "Subscription");
        JsonNode health = JSON.readTree(api.get("/api/v1/channels/health", key).body());
        assertFieldsOf(health.toString(), "ChannelHealthPage");
        assertFieldsOf(health.path("items").get(0).toString(), "ChannelHealth");
        var refused = api.post("/api/v1/properties", key, "{\"name\": \"x\", \"currency\": \"EURO\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertFieldsOf(refused.body(), "ApiError");
        assertFieldsOf(api.post("/api/v1/agencies/" + agency.id() + "/keys", key, "").body(), "ApiKey");
    }

    @Test
    void deadLettersAndLoggedEventsCarryOnlyTheFieldsTheirSchemasName() throws Exception {
        var agency = data.agency();
        String key = agency.apiKey();
        long deadLetter = jdbc.queryForObject("""
                insert into deadletters (source_route, source, exception_class, exception_message, agency_id, platform)
                values ('test', 'sync', 'java.io.IOException', 'channel down', ?, 'airbnb') returning id""", Long.class, agency.id());
        assertPageOf(api.get("/api/v1/deadletters", key).body(), "DeadLetterPage", "DeadLetter");
        assertFieldsOf(api.get("/api/v1/deadletters/" + deadLetter, key).body(), "DeadLetter");
        // processed: none of the periodic webhook routes touches it
        long event = jdbc.queryForObject("""
                insert into webhook_log (platform, event_id, event_type, event_time, raw_body, payload, signature_valid, status, agency_id)
                values ('airbnb', ?, 'reservation', now(), convert_to('{}', 'UTF8'), '{}', true, 'processed', ?)
                returning id""", Long.class, "evt-" + UUID.randomUUID(), agency.id());
        assertPageOf(api.get("/api/v1/webhooks", key).body(), "WebhookEventPage", "WebhookEvent");
        assertFieldsOf(api.get("/api/v1/webhooks/" + event, key).body(), "WebhookEvent");
    }

    private void assertPageOf(String body, String page, String item) throws Exception {
        JsonNode json = JSON.readTree(body);
        assertFieldsOf(body, page);
        assertThat(json.path("items")).as(page + " items").isNotEmpty();
        assertFieldsOf(json.path("items").get(0).toString(), item);
    }

    private void assertFieldsOf(String body, String schema) throws Exception {
        Set<String> fields = new TreeSet<>();
        JSON.readTree(body).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(schema + ": " + body).isNotEmpty();
        assertThat(properties(schema)).as(schema + " names every field of " + body).containsAll(fields);
    }

    private static JsonNode schemaOf(JsonNode withContent) {
        JsonNode schema = withContent.path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : schema;
    }

    private static String ref(JsonNode schema) {
        return schema == null ? null : schema.path("$ref").asText().replace("#/components/schemas/", "");
    }

    private JsonNode schema(String name) {
        JsonNode schema = doc.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema " + name + " in " + doc.path("components").path("schemas").fieldNames()).isFalse();
        return schema;
    }

    private Set<String> properties(String name) {
        Set<String> names = new TreeSet<>();
        schema(name).path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
