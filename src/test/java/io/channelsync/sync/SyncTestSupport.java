package io.channelsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.support.IntegrationTest;
import io.channelsync.support.TestData;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Fixtures for availability sync tests: a property with a calendar and a mapping, and job helpers. */
public abstract class SyncTestSupport extends IntegrationTest {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final LocalDate DAY1 = LocalDate.now().plusDays(30);

    /** An agency's property with a 3-night calendar and one mapping. */
    protected record Fixture(TestData.Agency agency, UUID property, UUID mapping, String listing, String room) {
    }

    protected Fixture airbnbFixture() {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        UUID mapping = data.airbnbMapping(agency.id(), property, listing);
        calendar(property);
        return new Fixture(agency, property, mapping, listing, null);
    }

    protected Fixture bookingFixture() {
        TestData.Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String hotel = TestData.uniqueListingId();
        String room = Long.toString(System.nanoTime() % 1_000_000);
        UUID mapping = data.bookingComMapping(agency.id(), property, hotel, room);
        calendar(property);
        return new Fixture(agency, property, mapping, hotel, room);
    }

    /** Gives the fixture's mapping a rate plan (Booking.com RatePlanCode); returns it. */
    protected String ratePlan(Fixture f) {
        String ratePlan = Long.toString(System.nanoTime() % 10_000_000);
        jdbc.update("update channel_mappings set rate_plan_id = ? where id = ?", ratePlan, f.mapping());
        return ratePlan;
    }

    /** Nights DAY1, DAY1+1 open (min 2, 120.00), DAY1+2 closed. */
    protected void calendar(UUID property) {
        jdbc.update("insert into availability (property_id, day, available, min_stay, price) values (?, ?, true, 2, 120.00), (?, ?, true, 2, 120.00), (?, ?, false, 2, 120.00)",
                property, DAY1, property, DAY1.plusDays(1), property, DAY1.plusDays(2));
    }

    /** POST /api/v1/sync/availability for the fixture's property; returns the one job id. */
    protected long trigger(Fixture f) throws Exception {
        var response = api.post("/api/v1/sync/availability", f.agency().apiKey(),
                "{\"property_id\":\"" + f.property() + "\",\"from\":\"" + DAY1 + "\",\"to\":\"" + DAY1.plusDays(2) + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode ids = JSON.readTree(response.body()).path("job_ids");
        assertThat(ids).hasSize(1);
        return ids.get(0).asLong();
    }

    /** A sync job and the dead letter it ended in. */
    protected record DeadLettered(long job, long deadLetter) {
    }

    /**
     * Triggers a job of the fixture and waits for its dead letter: the caller has stubbed the channel
     * to refuse the push for good (a 4xx), so the job fails at once and is dead-lettered, the real way.
     */
    protected DeadLettered deadLettered(Fixture f) throws Exception {
        long job = trigger(f);
        awaitStatus(job, "failed", Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                jdbc.queryForObject("select count(*) from deadletters where sync_log_id = ?", Integer.class, job) == 1);
        return new DeadLettered(job, jdbc.queryForObject("select id from deadletters where sync_log_id = ?", Long.class, job));
    }

    protected String status(long job) {
        return jdbc.queryForObject("select status from sync_logs where id = ?", String.class, job);
    }

    protected void awaitStatus(long job, String status, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> status.equals(status(job)));
    }

    protected int retryCount(long job) {
        return jdbc.queryForObject("select retry_count from sync_logs where id = ?", Integer.class, job);
    }

    protected List<String> outcomes(long job) {
        return jdbc.queryForList("select coalesce(outcome, 'in_flight') from sync_attempts where sync_log_id = ? order by attempt_number", String.class, job);
    }

    protected List<Timestamp> attemptStarts(long job) {
        return jdbc.queryForList("select started_at from sync_attempts where sync_log_id = ? order by attempt_number", Timestamp.class, job);
    }

    /** Every calendar PUT of the fixture's listing (a regex for urlPathMatching): /v2/calendars/{listing}/{start}/{end}. */
    protected static String airbnbPath(Fixture f) {
        return "/airbnb/v2/calendars/" + f.listing() + "/[0-9-]+/[0-9-]+";
    }
}
