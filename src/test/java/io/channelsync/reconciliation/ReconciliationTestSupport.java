package io.channelsync.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Helpers of the reconciliation tests: PMS bookings, channel stubs, runs through the API. */
abstract class ReconciliationTestSupport extends IntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    UUID booking(UUID agency, UUID property, String platform, String code, LocalDate in, LocalDate out, String status,
                 Integer guests, String amount) {
        return jdbc.queryForObject("""
                insert into bookings (agency_id, property_id, platform, reservation_code, check_in, check_out, status, guests, total_amount, currency)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR') returning id""", UUID.class,
                agency, property, platform, code, in, out, status, guests, amount == null ? null : new BigDecimal(amount));
    }

    static String code() {
        return "HM" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    static Map<String, Object> airbnbReservation(String listing, String code, LocalDate in, LocalDate out, String statusType,
                                                 int guests, String payout) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("confirmation_code", code);
        r.put("listing_id", listing);
        r.put("start_date", in.toString());
        r.put("end_date", out.toString());
        r.put("number_of_guests", guests);
        r.put("status_type", statusType);
        r.put("expected_payout_amount_accurate", payout == null ? null : new BigDecimal(payout));
        r.put("host_currency", "EUR");
        r.put("guest_first_name", "Ana");
        r.put("guest_last_name", "Silva");
        return r;
    }

    /** Airbnb answers these reservations for the listing's host, on one page. */
    void stubAirbnb(String listing, List<Map<String, Object>> reservations) throws Exception {
        stubAirbnbPage(listing, 0, reservations, null);
    }

    /**
     * Airbnb answers one page of the reservations of the listing's host (the host of its mapping's
     * connection): page {@code offset} is asked with the cursor the page before answered ({@code "c<offset>"}).
     */
    void stubAirbnbPage(String listing, int offset, List<Map<String, Object>> reservations, Integer nextOffset) throws Exception {
        String host = jdbc.queryForObject("""
                select c.account_id from channel_mappings m join channel_connections c on c.id = m.connection_id
                 where m.platform = 'airbnb' and m.listing_id = ? and m.deleted_at is null""", String.class, listing);
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("next_cursor", nextOffset == null ? null : "c" + nextOffset);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reservations", reservations);
        body.put("paging", paging);
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations"))
                .withQueryParam("host_id", equalTo(host))
                .withQueryParam("_limit", equalTo("50"))
                .withQueryParam("_cursor", offset == 0 ? absent() : equalTo("c" + offset))
                .willReturn(okJson(JSON.writeValueAsString(body))));
    }

    /** POST /api/v1/reconciliation/runs for one agency with its own key; returns the run's detail. */
    JsonNode runFor(io.channelsync.support.TestData.Agency agency) throws Exception {
        HttpResponse<String> response = api.post("/api/v1/reconciliation/runs", agency.apiKey(), "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        long id = JSON.readTree(response.body()).path("runs").get(0).path("id").asLong();
        return detail(id, agency.apiKey());
    }

    JsonNode detail(long runId, String key) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/reconciliation/runs/" + runId, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static List<String> kinds(JsonNode run) {
        List<String> kinds = new ArrayList<>();
        run.path("discrepancies").forEach(d -> kinds.add(d.path("kind").asText()));
        return kinds;
    }

    static JsonNode only(JsonNode run, String kind) {
        List<JsonNode> found = new ArrayList<>();
        run.path("discrepancies").forEach(d -> {
            if (d.path("kind").asText().equals(kind)) {
                found.add(d);
            }
        });
        assertThat(found).as("discrepancies of kind %s in %s", kind, run).hasSize(1);
        return found.get(0);
    }
}
