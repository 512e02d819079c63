package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class SyncApiTest extends SyncTestSupport {

    @Test
    void triggerAnswers202WithJobIdsAnd404For404And409WithoutMappingAnd400ForABadBody() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        long job = trigger(f);
        assertThat(jdbc.queryForMap("select status, triggered_at is not null as t, agency_id from sync_logs where id = ?", job))
                .containsEntry("t", true).containsEntry("agency_id", f.agency().id());

        String key = f.agency().apiKey();
        assertThat(api.post("/api/v1/sync/availability", key, "{\"property_id\":\"" + UUID.randomUUID() + "\"}").statusCode()).isEqualTo(404);
        Fixture other = airbnbFixture();
        assertThat(api.post("/api/v1/sync/availability", key, "{\"property_id\":\"" + other.property() + "\"}").statusCode()).isEqualTo(404);
        UUID unmapped = data.property(f.agency().id());
        var conflict = api.post("/api/v1/sync/availability", key, "{\"property_id\":\"" + unmapped + "\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("no enabled channel mapping");
        assertThat(api.post("/api/v1/sync/availability", key, "{\"property_id\":\"" + f.property() + "\",\"platforms\":[\"booking_com\"]}").statusCode()).isEqualTo(409);
        assertThat(api.post("/api/v1/sync/availability", key, "{}").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/v1/sync/availability", key, "not json").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/v1/sync/availability", key, "{\"property_id\":\"" + f.property() + "\",\"platforms\":[\"expedia\"]}").statusCode()).isEqualTo(400);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
    }

    @Test
    void puttingAvailabilityUpsertsTheCalendarAndCreatesSyncJobs() throws Exception {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/" + listing + "/.*")).willReturn(aResponse().withStatus(200)));
        String path = "/api/v1/properties/" + property + "/availability";
        assertThat(api.patch("/api/v1/properties/" + property, agency.apiKey(), "{\"currency\": \"EUR\"}").statusCode()).isEqualTo(200);

        var response = api.put(path, agency.apiKey(), """
                [{"date": "%s", "available": true, "min_stay": 3, "price": 99.50},
                 {"date": "%s", "available": false}]""".formatted(DAY1, DAY1.plusDays(1)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("days_updated").asInt()).isEqualTo(2);
        long job = body.path("sync_job_ids").get(0).asLong();
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));

        var again = api.put(path, agency.apiKey(), "{\"days\": [{\"date\": \"" + DAY1 + "\", \"available\": false, \"min_stay\": 1}]}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForMap("select available, min_stay, price from availability where property_id = ? and day = ?", property, DAY1))
                .containsEntry("available", false).containsEntry("min_stay", 1).containsEntry("price", null);

        assertThat(api.put(path, agency.apiKey(), "[{\"date\": \"" + DAY1 + "\", \"available\": true, \"min_stay\": 0}]").statusCode()).isEqualTo(422);
        assertThat(api.put(path, agency.apiKey(), "[{\"date\": \"" + DAY1 + "\", \"available\": true, \"price\": -1}]").statusCode()).isEqualTo(422);
        assertThat(api.put(path, agency.apiKey(), "[{\"available\": true}]").statusCode()).isEqualTo(422);
        assertThat(api.put(path, data.agency().apiKey(), "[{\"date\": \"" + DAY1 + "\", \"available\": true}]").statusCode()).isEqualTo(404);
    }

    @Test
    void rangesLongerThanMaxRangeDaysAreRefusedWith422AndCreateNoJob() throws Exception {
        Fixture f = airbnbFixture();
        String key = f.agency().apiKey();
        long jobsBefore = jdbc.queryForObject("select count(*) from sync_logs where agency_id = ?", Long.class, f.agency().id());

        var huge = api.post("/api/v1/sync/availability", key,
                "{\"property_id\":\"" + f.property() + "\",\"from\":\"1000-01-01\",\"to\":\"9999-12-31\"}");
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(422);
        assertThat(JSON.readTree(huge.body()).path("rule").asText()).isEqualTo("max_range");
        // 732 days counted from today, the end alone given
        var noStart = api.post("/api/v1/sync/availability", key,
                "{\"property_id\":\"" + f.property() + "\",\"to\":\"" + java.time.LocalDate.now().plusDays(731) + "\"}");
        assertThat(noStart.statusCode()).as(noStart.body()).isEqualTo(422);

        String twoDays = "[{\"date\": \"2027-01-01\", \"available\": true}, {\"date\": \"%s\", \"available\": true}]";
        var calendar = api.put("/api/v1/properties/" + f.property() + "/availability", key, twoDays.formatted("2029-01-02"));
        assertThat(calendar.statusCode()).as(calendar.body()).isEqualTo(422);
        assertThat(JSON.readTree(calendar.body()).path("rule").asText()).isEqualTo("max_range");
        assertThat(jdbc.queryForObject("select count(*) from sync_logs where agency_id = ?", Long.class, f.agency().id()))
                .isEqualTo(jobsBefore);

        // exactly 731 days (2027-01-01 .. 2028-12-31, a leap year) is allowed
        CHANNELS.stubFor(put(urlEqualTo(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        assertThat(api.put("/api/v1/properties/" + f.property() + "/availability", key, twoDays.formatted("2028-12-31")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void jobsAreListedWithFiltersAndReadWithAttemptsButAnotherAgencysJobIsNotFound() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        long job = trigger(f);
        awaitStatus(job, "succeeded", Duration.ofSeconds(10));
        String key = f.agency().apiKey();

        JsonNode list = JSON.readTree(api.get("/api/v1/sync/jobs?status=succeeded&platform=airbnb&limit=10", key).body());
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("next_offset").isNull()).isTrue();
        assertThat(list.path("items").get(0).path("id").asLong()).isEqualTo(job);
        assertThat(list.path("items").get(0).path("listing_id").asText()).isEqualTo(f.listing());
        assertThat(JSON.readTree(api.get("/api/v1/sync/jobs?status=failed", key).body()).path("items")).isEmpty();
        JsonNode operatorView = JSON.readTree(api.get("/api/v1/sync/jobs?agency_id=" + f.agency().id(), OPERATOR_KEY).body());
        assertThat(operatorView.path("items")).hasSize(1);
        assertThat(api.get("/api/v1/sync/jobs?limit=0", key).statusCode()).isEqualTo(422);

        var one = api.get("/api/v1/sync/jobs/" + job, key);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(one.body());
        assertThat(body.path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("attempts")).hasSize(1);
        assertThat(body.path("attempts").get(0).path("outcome").asText()).isEqualTo("succeeded");

        String otherKey = data.agency().apiKey();
        assertThat(api.get("/api/v1/sync/jobs/" + job, otherKey).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(api.get("/api/v1/sync/jobs", otherKey).body()).path("items")).isEmpty();
        assertThat(api.get("/api/v1/sync/jobs/" + job, OPERATOR_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void deadLettersAreListedReadDiscardedAndBatchRequeuedButAnotherAgencysAreNotFound() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(400)));
        DeadLettered firstDead = deadLettered(f);
        DeadLettered secondDead = deadLettered(f);
        long first = firstDead.job();
        long second = secondDead.job();
        long dlFirst = firstDead.deadLetter();
        long dlSecond = secondDead.deadLetter();
        String key = f.agency().apiKey();
        String otherKey = data.agency().apiKey();

        JsonNode list = JSON.readTree(api.get("/api/v1/deadletters?status=open&platform=airbnb", key).body());
        assertThat(list.path("items")).hasSize(2);
        JsonNode one = JSON.readTree(api.get("/api/v1/deadletters/" + dlFirst, key).body());
        assertThat(one.path("sync_log_id").asLong()).isEqualTo(first);
        assertThat(one.path("attempts")).hasSize(1);
        assertThat(one.path("payload").path("listing_id").asText()).isEqualTo(f.listing());

        assertThat(api.get("/api/v1/deadletters/" + dlFirst, otherKey).statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/deadletters/" + dlFirst + "/requeue", otherKey, "").statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/deadletters/" + dlFirst + "/discard", otherKey, "").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(api.get("/api/v1/deadletters", otherKey).body()).path("items")).isEmpty();

        assertThat(api.post("/api/v1/deadletters/" + dlFirst + "/discard", key, "").statusCode()).isEqualTo(200);
        assertThat(api.post("/api/v1/deadletters/" + dlFirst + "/requeue", key, "").statusCode()).isEqualTo(409);
        assertThat(status(first)).isEqualTo("failed");

        CHANNELS.resetAll();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));
        var batch = api.post("/api/v1/deadletters/requeue", key, "{\"platform\": \"airbnb\"}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        assertThat(JSON.readTree(batch.body()).path("requeued")).hasSize(1);
        assertThat(JSON.readTree(batch.body()).path("requeued").get(0).asLong()).isEqualTo(dlSecond);
        awaitStatus(second, "succeeded", Duration.ofSeconds(10));
    }
}
