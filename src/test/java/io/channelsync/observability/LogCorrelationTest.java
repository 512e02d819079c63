package io.channelsync.observability;

import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One sync job can be followed through the log: every line about it carries [job=<id>]. */
@ExtendWith(OutputCaptureExtension.class)
class LogCorrelationTest extends IntegrationTest {

    @Test
    void everyLineAboutASyncJobCarriesItsId(CapturedOutput output) {
        var agency = data.agency();
        var property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/" + listing + "/.*")).willReturn(aResponse().withStatus(200)));

        var response = api.post("/api/v1/sync/availability", agency.apiKey(), "{\"property_id\":\"" + property + "\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        long job = Long.parseLong(response.body().replaceAll("(?s).*\"job_ids\":\\[(\\d+).*", "$1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(
                jdbc.queryForObject("select status from sync_logs where id = ?", String.class, job)));

        assertThat(output.getOut().lines().filter(line -> line.contains("[job=" + job + "]")))
                .as("log lines tagged with the job id").isNotEmpty()
                .anySatisfy(line -> assertThat(line).contains("io.channelsync.sync.")); // SyncJobWorker or CalendarPush
    }
}
