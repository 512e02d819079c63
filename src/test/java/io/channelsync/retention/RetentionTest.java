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
}
