package io.channelsync.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Prunes history in small batches (route {@code retention}): raw bodies of finished webhook rows, then
 * finished webhook rows, then finished sync jobs (their attempts go with them, ON DELETE CASCADE), then the
 * subscriptions outbox: finished deliveries (their attempts cascade too), then events no delivery points at
 * any more (children before parents: deliveries.event_id has no cascade).
 * Only final rows go: waiting, parked (unmapped) and open work never does, nor anything a dead letter
 * points at (an operator may still requeue it), nor a delivery still pending, delivering or retrying, nor
 * its event. Bookings, reconciliation runs and findings, Booking.com reservation messages and alerts are
 * kept: the API and reconciliation read them.
 */
@Component("retention")
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final String FINAL_WEBHOOKS = "('processed', 'failed', 'rejected', 'duplicate')";
    // exactly the predicate of index deliveries_final_idx (changeset 540)
    private static final String FINAL_DELIVERIES = "('succeeded', 'failed')";

    private final NamedParameterJdbcTemplate sql;
    private final RetentionProperties properties;

    public Retention(NamedParameterJdbcTemplate sql, RetentionProperties properties) {
        this.sql = sql;
        this.properties = properties;
    }

    public void prune() {
        int bodies = batches(properties.rawBodies(), """
                update webhook_log set raw_body = null where id in (
                  select id from webhook_log where created_at < now() - make_interval(secs => :age)
                   and raw_body is not null and status in """ + FINAL_WEBHOOKS + " limit :batch for update skip locked)");
        int webhooks = batches(properties.webhookRows(), """
                delete from webhook_log where id in (
                  select w.id from webhook_log w where w.created_at < now() - make_interval(secs => :age)
                   and w.status in """ + FINAL_WEBHOOKS + """
                   and not exists (select 1 from deadletters d where d.webhook_log_id = w.id) limit :batch for update skip locked)""");
        int jobs = batches(properties.rows(), """
                delete from sync_logs where id in (
                  select s.id from sync_logs s where s.updated_at < now() - make_interval(secs => :age)
                   and s.status in ('succeeded', 'failed', 'deadlettered')
                   and not exists (select 1 from deadletters d where d.sync_log_id = s.id) limit :batch for update skip locked)""");
        // updated_at: when the delivery became final (a redelivery is a new row; a final one never changes again)
        int deliveries = batches(properties.rows(), """
                delete from deliveries where id in (
                  select id from deliveries where updated_at < now() - make_interval(secs => :age)
                   and status in """ + FINAL_DELIVERIES + " limit :batch for update skip locked)");
        // an event not yet fanned out has no deliveries yet, but still has them to come
        int events = batches(properties.rows(), """
                delete from events where id in (
                  select e.id from events e where e.created_at < now() - make_interval(secs => :age)
                   and e.fanned_out_at is not null
                   and not exists (select 1 from deliveries d where d.event_id = e.id) limit :batch for update skip locked)""");
        if (bodies + webhooks + jobs + deliveries + events > 0) {
            log.info("Retention: {} raw webhook bodies emptied, {} webhook rows, {} sync jobs, {} deliveries and {} events deleted",
                    bodies, webhooks, jobs, deliveries, events);
        }
    }

    /** Runs the statement until a batch finds less than a full batch, or maxBatches ran; returns the rows touched. */
    private int batches(Duration age, String statement) {
        var params = new MapSqlParameterSource("age", age.toSeconds()).addValue("batch", properties.batchSize());
        int total = 0;
        for (int i = 0; i < properties.maxBatches(); i++) {
            int n = sql.update(statement, params);
            total += n;
            if (n < properties.batchSize()) {
                break;
            }
        }
        return total;
    }
}
