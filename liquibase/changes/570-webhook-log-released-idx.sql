--liquibase formatted sql

--changeset channel-sync:570-webhook-log-released-idx
-- The rows a full queue released (received, no owner), oldest first: what the refill claims many times a second
-- during a burst (WebhookLog.claimReleased repeats this predicate exactly, so the planner can use it).
CREATE INDEX webhook_log_released_idx ON webhook_log (id) WHERE status = 'received' AND owner IS NULL;
--rollback DROP INDEX webhook_log_released_idx;
