package io.channelsync.webhook;

import io.channelsync.observability.EventCounters;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit of the webhook intake: the rows of concurrent requests go to the database together,
 * in one {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} and one commit
 * ({@link WebhookLog#insert}), so a burst costs a round trip per batch rather than one per
 * request. A request thread hands its delivery to {@link #store} and waits; a writer thread takes
 * everything waiting (up to {@code max-rows}), commits it, and only then answers each request:
 * nothing acknowledged lives only in memory. Rows are written {@code queued}, owned by this instance,
 * and handed to the processing queue ({@link WebhookQueue}) between the commit and the answers;
 * under a burst, what the full queue refuses is released for the refill ({@link WebhookRecovery#refill}).
 * <p>
 * The writers take their connections from the intake's own pool ({@link WebhookIntakePool}), whose
 * wait is {@code channel-sync.webhooks.db-timeout}: a batch the database cannot take (unreachable,
 * timed out, the commit fails) stores nothing and every request in it is answered 503. A batch that fails because the database refuses one row's
 * data (SQL state class 22 or 23, e.g. a JSON string jsonb cannot hold) is committed again row by
 * row, so one odd delivery cannot take its neighbours down.
 */
@Component
public class WebhookCommits {

    private static final Logger log = LoggerFactory.getLogger(WebhookCommits.class);

    private record Pending(WebhookLog.Row row, CompletableFuture<WebhookLog.Stored> answer) {
    }

    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final WebhookLog webhookLog;
    private final WebhookQueue queue;
    private final EventCounters counters;
    private final TransactionTemplate tx;
    private final int maxRows;
    private final Duration answerTimeout;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean open = true;

    public WebhookCommits(WebhookLog webhookLog, WebhookQueue queue, WebhookIntakePool intakePool, WebhookProperties properties,
                          EventCounters counters) {
        this.webhookLog = webhookLog;
        this.counters = counters;
        this.queue = queue;
        // the batch's transaction on the intake pool, where WebhookLog's intake statements run (not the main pool's manager)
        this.tx = new TransactionTemplate(new JdbcTransactionManager(intakePool.dataSource()));
        this.maxRows = properties.commit().maxRows();
        // the batch's own statements are bounded by db-timeout; a request may also wait for the batch ahead of it
        this.answerTimeout = properties.dbTimeout().multipliedBy(2).plusSeconds(1);
        for (int i = 1; i <= properties.commit().writers(); i++) {
            Thread writer = new Thread(this::write, "webhook-commit-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /**
     * Stores one genuine delivery with whatever else is waiting, and returns once its row is
     * committed: its new id, or a duplicate. Throws a {@link DataAccessException} (503) when the
     * batch holding it could not be committed.
     */
    public WebhookLog.Stored store(WebhookLog.Delivery delivery) {
        Pending pending = new Pending(webhookLog.row(delivery), new CompletableFuture<>());
        if (!open) {
            throw new TransientDataAccessResourceException("the intake is shutting down");
        }
        waiting.add(pending);
        try {
            return pending.answer().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (DataAccessException) e.getCause(); // commit() fails answers with nothing else
        } catch (TimeoutException e) {
            // still waiting: it never reaches the database. Already in a batch: it may yet commit, and the
            // channel's redelivery of this 503 is then answered 200 duplicate. Either way nothing acknowledged is lost.
            waiting.remove(pending);
            throw new QueryTimeoutException("no commit within " + answerTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDataAccessResourceException("interrupted while the webhook row was being stored");
        }
    }

    /** Requests waiting for their commit (a gauge, and how tests see a batch forming). */
    public int waiting() {
        return waiting.size();
    }

    private void write() {
        while (open || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>(Math.min(maxRows, waiting.size() + 1));
                batch.add(first);
                waiting.drainTo(batch, maxRows - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Webhook commit writer survived an unexpected failure", e); // answered already: see commit
            }
        }
    }

    /** Commits these deliveries as one batch, in the calling thread, exactly as a writer would (for tests). */
    List<CompletableFuture<WebhookLog.Stored>> commitAsOneBatch(List<WebhookLog.Delivery> deliveries) {
        List<Pending> batch = deliveries.stream().map(d -> new Pending(webhookLog.row(d), new CompletableFuture<>())).toList();
        commit(batch);
        return batch.stream().map(Pending::answer).toList();
    }

    /** One transaction for the batch; then the new rows onto the processing queue; then the answers. */
    private void commit(List<Pending> batch) {
        List<WebhookLog.Stored> stored;
        try {
            stored = tx.execute(s -> webhookLog.insert(batch.stream().map(Pending::row).toList()));
        } catch (RuntimeException e) {
            if (batch.size() > 1 && refusedData(e)) {
                log.debug("A batch of {} webhook rows was refused for one row's data ({}); committing them one by one",
                        batch.size(), NestedExceptionUtils.getMostSpecificCause(e).getMessage());
                batch.forEach(p -> commit(List.of(p)));
                return;
            }
            DataAccessException failure = e instanceof DataAccessException dataAccess ? dataAccess
                    : e instanceof TransactionException noTransaction // no connection within db-timeout, or the commit failed
                    ? new DataAccessResourceFailureException(noTransaction.getMessage(), noTransaction) : unexpected(e);
            log.debug("A batch of {} webhook rows was not stored: {}", batch.size(), e.getMessage());
            batch.forEach(p -> p.answer().completeExceptionally(failure));
            return;
        }
        List<Long> fresh = stored.stream().filter(r -> !r.duplicate()).map(WebhookLog.Stored::id).toList();
        if (!fresh.isEmpty()) {
            try {
                queue.offer(fresh); // before the answers, so a 202 finds its row queued or (queue full) released as received
            } catch (RuntimeException e) {
                // committed as queued by this instance: its own sweep takes them again after the lease
                log.warn("{} webhook row(s) committed but not handed to the queue ({}); the recovery sweep takes them", fresh.size(),
                        e.getMessage());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            counters.webhook(batch.get(i).row().platform(), stored.get(i).duplicate() ? "duplicate" : "received");
            batch.get(i).answer().complete(stored.get(i));
        }
    }

    /** A bug, not the database: logged once with its stack, and answered like an unavailable database (503, deliver again). */
    private static DataAccessException unexpected(RuntimeException e) {
        log.error("A batch of webhook rows failed unexpectedly; its deliveries are answered 503", e);
        return new TransientDataAccessResourceException("the webhook row could not be stored: " + e);
    }

    /** The database refused a value (data exception, integrity violation), not the batch as such. */
    private static boolean refusedData(Throwable e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        return cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"));
    }

    /** Lets the writers commit what is already waiting (the web server has stopped taking requests), then stops them. */
    @PreDestroy
    public void close() throws InterruptedException {
        open = false;
        for (Thread writer : writers) {
            writer.join(answerTimeout.toMillis());
        }
    }
}
