package io.channelsync.channel.airbnb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Airbnb's part of the sandbox plays the documented calls only, and checks the host's OAuth token. */
class AirbnbSandboxTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private String host;
    private String token;
    private String listing;

    @BeforeEach
    void aSandboxHost() {
        host = TestData.uniqueListingId();
        token = "sandbox-token-" + host;
        listing = TestData.uniqueListingId();
        api.put("/sandbox/airbnb/hosts/" + host, null, "{\"oauth_token\": \"" + token + "\", \"listings\": [\"" + listing + "\"]}");
    }

    @AfterEach
    void forget() {
        api.delete("/sandbox/requests", null);
    }

    private HttpResponse<String> call(String method, String path, String oauthToken, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/sandbox/airbnb" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (oauthToken != null) {
            request.header("X-Airbnb-OAuth-Token", oauthToken);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyCallWithoutTheOAuthTokenIs401AndAnotherHostsTokenIs403() throws Exception {
        String calendar = "/v2/calendars/" + listing + "/2027-01-01/2027-01-03";
        String body = "{\"availability\": \"unavailable\"}";
        assertThat(call("GET", "/v2/listings/" + listing, null, null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", calendar, null, body).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v2/reservations?host_id=" + host + "&_limit=50", null, null).statusCode()).isEqualTo(401);

        assertThat(call("GET", "/v2/listings/" + listing, "someone-else", null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", calendar, "someone-else", body).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v2/reservations?host_id=" + host + "&_limit=50", "someone-else", null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v2/listings/" + TestData.uniqueListingId(), token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theListingReadNamesItsHostAndTheCalendarPutTakesOnlyTheDocumentedBody() throws Exception {
        JsonNode read = JSON.readTree(call("GET", "/v2/listings/" + listing, token, null).body());
        assertThat(read.path("listing").path("user_id").asText()).isEqualTo(host);
        assertThat(read.path("listing").path("id").asText()).isEqualTo(listing);

        String path = "/v2/calendars/" + listing + "/2027-01-01/2027-01-03";
        assertThat(call("PUT", path, token, "{\"availability\": \"available\", \"daily_price\": 99.5, \"min_nights\": 2}").statusCode()).isEqualTo(200);
        assertThat(call("PUT", path, token, "{\"available\": true}").statusCode()).as("our old dialect").isEqualTo(400);
        assertThat(call("PUT", "/v2/calendars/" + listing + "/2027-01-03/2027-01-01", token, "{\"availability\": \"default\"}").statusCode())
                .as("end before start").isEqualTo(400);
        JsonNode recorded = JSON.readTree(api.get("/sandbox/requests?channel=airbnb", null).body());
        assertThat(recorded).extracting(r -> r.path("path").asText()).contains(path);
    }

    @Test
    void theReservationsOfAHostArePagedWithACursorCancelledOnesIncluded() throws Exception {
        for (int i = 0; i < 5; i++) {
            String status = i == 3 ? "cancelled_by_guest" : "accept";
            assertThat(api.post("/sandbox/airbnb/reservations", null, """
                    {"confirmation_code": "HMSBX%d", "listing_id": "%s", "start_date": "2027-01-%02d", "end_date": "2027-01-%02d", "status_type": "%s"}"""
                    .formatted(i, listing, 2 * i + 1, 2 * i + 2, status)).statusCode()).isEqualTo(202);
        }
        List<String> codes = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var response = call("GET", "/v2/reservations?host_id=" + host + "&_limit=2" + (cursor == null ? "" : "&_cursor=" + cursor), token, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.path("reservations").forEach(r -> codes.add(r.path("confirmation_code").asText()));
            cursor = page.path("paging").path("next_cursor").isNull() ? null : page.path("paging").path("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(codes).containsExactly("HMSBX0", "HMSBX1", "HMSBX2", "HMSBX3", "HMSBX4");
        assertThat(call("GET", "/v2/reservations?_limit=2", token, null).statusCode()).as("host_id is required").isEqualTo(400);
        assertThat(call("GET", "/v2/reservations?host_id=" + host + "&_limit=51", token, null).statusCode()).as("_limit at most 50").isEqualTo(400);
    }
}
