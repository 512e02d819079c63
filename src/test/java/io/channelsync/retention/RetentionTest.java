package io.channelsync.retention;

import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: history is pruned by age, finished rows only; what is parked or dead-lettered stays (a waiting row is
 * not written here: the recovery sweep would take it). The rows are old, so no other test's window sees them.
 */
class RetentionTest extends IntegrationTest {

    @Autowired
    Retention retention;

    private long webhook(String status, int daysOld) {
        return jdbc.queryForObject("""
                insert into webhook_log (platform, event_id, raw_body, signature_valid, status, created_at)
                values ('airbnb', ?, '\\x7b7d', true, ?, now() - make_interval(days => ?)) returning id""",
                Long.class, "ret-" + UUID.randomUUID(), status, daysOld);
    }

    private UUID event(int daysOld) {
        return jdbc.queryForObject("""
                insert into events (type, data, created_at, fanned_out_at)
                values ('retention.test', '{}', now() - make_interval(days => ?), now() - make_interval(days => ?)) returning id""",
                UUID.class, daysOld, daysOld);
    }

    /** A delivery last changed daysOld ago; one attempt unless pending. Never due: the delivery route leaves it alone. */
    private long delivery(UUID subscription, UUID event, String status, int daysOld) {
        long id = jdbc.queryForObject("""
                insert into deliveries (subscription_id, event_id, status, next_attempt_at, created_at, updated_at)
                values (?, ?, ?, now() + interval '1 day', now() - make_interval(days => ?), now() - make_interval(days => ?))
                returning id""", Long.class, subscription, event, status, daysOld, daysOld);
        if (!status.equals("pending")) {
            jdbc.update("insert into delivery_attempts (delivery_id, attempt, attempted_at, duration_ms) "
                    + "values (?, 1, now() - make_interval(days => ?), 5)", id, daysOld);
        }
        return id;
    }

    private boolean exists(String table, String column, Object id) {
        return jdbc.queryForObject("select exists (select 1 from " + table + " where " + column + " = ?)", Boolean.class, id);
    }

    private Boolean hasBody(long id) {
        return jdbc.query("select raw_body is not null from webhook_log where id = ?", rs -> rs.next() ? rs.getBoolean(1) : null, id);
    }

    @Test
    void finishedRowsLoseTheirBodyAfter30DaysAndGoAfter90WaitingAndDeadLetteredOnesStay() {
        long recent = webhook("processed", 29);
        long oldBody = webhook("processed", 31);
        long oldRow = webhook("duplicate", 91);
        long parked = webhook("unmapped", 120);
        long deadLettered = webhook("failed", 120);
        jdbc.update("insert into deadletters (source_route, source, webhook_log_id, exception_class, exception_message) "
                + "values ('test', 'webhook', ?, 'java.io.IOException', 'kept')", deadLettered);

        retention.prune();

        assertThat(hasBody(recent)).isTrue();
        assertThat(hasBody(oldBody)).as("a finished row older than raw-bodies keeps its row, not its body").isFalse();
        assertThat(hasBody(oldRow)).as("a finished row older than rows is deleted").isNull();
        assertThat(hasBody(parked)).as("a parked row is never pruned").isTrue();
        assertThat(hasBody(deadLettered)).as("a row a dead letter points at stays").isNotNull();
    }

    @Test
    void finishedDeliveriesGoAfter90DaysWithTheirAttemptsAndEventsOnceNoDeliveryIsLeft() {
        UUID subscription = jdbc.queryForObject("""
                insert into subscriptions (url, event_types, secret)
                values ('http://127.0.0.1:9/retention', '{retention.test}', '\\x00') returning id""", UUID.class);
        UUID delivered = event(100);
        long succeeded = delivery(subscription, delivered, "succeeded", 100);
        long failed = delivery(subscription, delivered, "failed", 95);
        UUID neverDelivered = event(100); // fanned out to no subscription
        UUID stillToDeliver = event(100);
        long pending = delivery(subscription, stillToDeliver, "pending", 100);
        long retrying = delivery(subscription, stillToDeliver, "retrying", 100);
        long finishedSibling = delivery(subscription, stillToDeliver, "succeeded", 100);
        UUID redelivered = event(100);
        long original = delivery(subscription, redelivered, "failed", 100);
        long redelivery = delivery(subscription, redelivered, "succeeded", 10);
        jdbc.update("update deliveries set redelivery_of = ? where id = ?", original, redelivery);
        UUID recent = event(10);
        long recentDelivery = delivery(subscription, recent, "succeeded", 10);

        retention.prune();

        assertThat(exists("deliveries", "id", succeeded)).as("a delivery succeeded 100 days ago is deleted").isFalse();
        assertThat(exists("deliveries", "id", failed)).as("a delivery given up 95 days ago is deleted").isFalse();
        assertThat(exists("delivery_attempts", "delivery_id", succeeded)).as("its attempts with it").isFalse();
        assertThat(exists("delivery_attempts", "delivery_id", failed)).isFalse();
        assertThat(exists("events", "id", delivered)).as("an old event whose deliveries are all gone is deleted").isFalse();
        assertThat(exists("events", "id", neverDelivered)).as("an old event no subscription wanted is deleted").isFalse();

        assertThat(exists("deliveries", "id", pending)).as("a pending delivery is never pruned").isTrue();
        assertThat(exists("deliveries", "id", retrying)).as("a retrying delivery is never pruned").isTrue();
        assertThat(exists("delivery_attempts", "delivery_id", retrying)).isTrue();
        assertThat(exists("deliveries", "id", finishedSibling)).as("a finished delivery goes even when its event stays").isFalse();
        assertThat(exists("events", "id", stillToDeliver)).as("an event with a delivery still to make stays").isTrue();

        assertThat(exists("deliveries", "id", original)).isFalse();
        assertThat(exists("deliveries", "id", redelivery)).as("a recent redelivery of an old event stays").isTrue();
        assertThat(jdbc.queryForObject("select redelivery_of from deliveries where id = ?", Long.class, redelivery))
                .as("its link to the pruned original is cleared").isNull();
        assertThat(exists("events", "id", redelivered)).as("an old event a recent delivery points at stays").isTrue();

        assertThat(exists("deliveries", "id", recentDelivery)).isTrue();
        assertThat(exists("delivery_attempts", "delivery_id", recentDelivery)).isTrue();
        assertThat(exists("events", "id", recent)).isTrue();

        // other tests list subscriptions and deliveries: leave none of these behind
        jdbc.update("delete from subscriptions where id = ?", subscription);
        jdbc.update("delete from events where type = 'retention.test'");
    }
}
