package io.channelsync.webhook;

import io.channelsync.db.PostgresText;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * All SQL on {@code webhook_attempts}: one row per processing attempt of an inbound event (issue 14.1), like
 * {@code sync_attempts} for jobs. An attempt that ends the event's processing ({@code processed}, {@code unmapped},
 * {@code failed}) is written by {@link #finished} inside the transaction that moves the {@code webhook_log} row, so
 * the row and its attempt commit together; an attempt that threw (rolled back, then retried or dead-lettered) is
 * written by {@link #threw} in a transaction of its own, the row's state unchanged.
 */
@Component
public class WebhookAttempts {

    public static final String PROCESSED = "processed";
    public static final String UNMAPPED = "unmapped";
    public static final String FAILED = "failed";
    public static final String ERROR = "error";

    private final NamedParameterJdbcTemplate sql;
    private final TransactionTemplate tx;

    public WebhookAttempts(NamedParameterJdbcTemplate sql, TransactionTemplate tx) {
        this.sql = sql;
        this.tx = tx;
    }

    /**
     * Records the attempt that moved the (locked) row to {@code outcome}, inside the caller's transaction (the row's
     * status, and the listing it is about, are set by {@link WebhookLog}'s statement of that outcome).
     */
    public void finished(long webhookLogId, Instant startedAt, String outcome, String error) {
        insert(webhookLogId, startedAt, outcome, error);
    }

    /**
     * Records an attempt that threw; its own transaction (the attempt's was rolled back), the row locked meanwhile.
     * Never throws: the caller rethrows the cause, which is what counts (a database that is down loses this row).
     */
    public void threw(long webhookLogId, Instant startedAt, Throwable cause) {
        try {
            tx.executeWithoutResult(status -> {
                sql.queryForList("select id from webhook_log where id = :id for no key update", Map.of("id", webhookLogId), Long.class);
                insert(webhookLogId, startedAt, ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The attempts of one event, oldest first. */
    public List<Map<String, Object>> of(long webhookLogId, RowMapper<Map<String, Object>> rows) {
        return sql.query("""
                select attempt_number, started_at, finished_at, outcome, error from webhook_attempts
                 where webhook_log_id = :id order by attempt_number""", Map.of("id", webhookLogId), rows);
    }

    private void insert(long webhookLogId, Instant startedAt, String outcome, String error) {
        sql.update("""
                insert into webhook_attempts (webhook_log_id, attempt_number, started_at, outcome, error)
                select :id, coalesce(max(attempt_number), 0) + 1, :started, :outcome, :error
                  from webhook_attempts where webhook_log_id = :id""", new MapSqlParameterSource("id", webhookLogId)
                .addValue("started", Timestamp.from(startedAt)).addValue("outcome", outcome)
                .addValue("error", PostgresText.clean(error)));
    }
}
