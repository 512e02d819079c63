package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.channelsync.support.TestData;
import io.channelsync.support.TestData.Agency;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs API: scoping by agency, operator runs, the per-agency lock. */
class ReconciliationApiTest extends ReconciliationTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    Agency mappedAgency() throws Exception {
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        stubAirbnb(listing, List.of());
        return agency;
    }

    @Test
    void anotherAgencysRunIsNotFound() throws Exception {
        Agency owner = mappedAgency();
        Agency other = data.agency();
        long runId = runFor(owner).path("id").asLong();

        assertThat(api.get("/api/v1/reconciliation/runs/" + runId, other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/reconciliation/runs/" + runId, OPERATOR_KEY).statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(api.get("/api/v1/reconciliation/runs", other.apiKey()).body());
        assertThat(list.path("items")).isEmpty();
        JsonNode spied = JSON.readTree(api.get("/api/v1/reconciliation/runs?agency_id=" + owner.id(), other.apiKey()).body());
        assertThat(spied.path("items")).isEmpty();
        HttpResponse<String> foreignTrigger = api.post("/api/v1/reconciliation/runs", other.apiKey(),
                "{\"agency_id\": \"" + owner.id() + "\"}");
        assertThat(foreignTrigger.statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/reconciliation/runs/not-a-number", owner.apiKey()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/reconciliation/runs", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anAgencyListsItsOwnRunsNewestFirst() throws Exception {
        Agency agency = mappedAgency();
        long first = runFor(agency).path("id").asLong();
        long second = runFor(agency).path("id").asLong();

        JsonNode list = JSON.readTree(api.get("/api/v1/reconciliation/runs", agency.apiKey()).body());

        assertThat(list.path("items")).hasSize(2);
        assertThat(list.path("items").get(0).path("id").asLong()).isEqualTo(second);
        assertThat(list.path("items").get(1).path("id").asLong()).isEqualTo(first);
        assertThat(list.path("items").get(0).path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(list.path("items").get(0).path("counts").has("discrepancies")).isTrue();
        assertThat(list.path("next_offset").isNull()).isTrue();
        assertThat(api.get("/api/v1/reconciliation/runs?limit=0", agency.apiKey()).statusCode()).isEqualTo(422);
    }

    @Test
    void anOperatorRunsANamedAgency() throws Exception {
        Agency agency = mappedAgency();

        HttpResponse<String> response = api.post("/api/v1/reconciliation/runs", OPERATOR_KEY, "{\"agency_id\": \"" + agency.id() + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode runs = JSON.readTree(response.body()).path("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("agency_id").asText()).isEqualTo(agency.id().toString());
        assertThat(runs.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(api.post("/api/v1/reconciliation/runs", OPERATOR_KEY, "{\"agency_id\": \"" + UUID.randomUUID() + "\"}").statusCode())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/reconciliation/runs", OPERATOR_KEY, "{\"agency_id\": \"nope\"}").statusCode()).isEqualTo(422);
    }

    @Test
    void aRunIsRefusedWhileAnotherInstanceHoldsTheAgencysLock() throws Exception {
        Agency agency = mappedAgency();
        try (Connection other = dataSource.getConnection();
             PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, AgencyRunLock.NAMESPACE);
            lock.setString(2, agency.id().toString());
            lock.execute();
            try {
                HttpResponse<String> refused = api.post("/api/v1/reconciliation/runs", agency.apiKey(), "");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
                assertThat(jdbc.queryForObject("select count(*) from reconciliation_runs where agency_id = ?", Integer.class, agency.id())).isZero();
            } finally {
                try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
                    unlock.setInt(1, AgencyRunLock.NAMESPACE);
                    unlock.setString(2, agency.id().toString());
                    unlock.execute();
                }
            }
        }
        assertThat(api.post("/api/v1/reconciliation/runs", agency.apiKey(), "").statusCode()).isEqualTo(201);
    }
}
