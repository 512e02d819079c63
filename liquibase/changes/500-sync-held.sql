--liquibase formatted sql

--changeset channel-sync:500-sync-logs-held
-- held (issue 14 §2): the job's channel is down (its circuit breaker is open), so the job waits without
-- spending its retries; it is resumed (held -> pending), oldest first, when a half-open probe succeeds.
ALTER TABLE sync_logs DROP CONSTRAINT sync_logs_status_check;
ALTER TABLE sync_logs ADD CONSTRAINT sync_logs_status_check
    CHECK (status IN ('pending', 'running', 'retrying', 'held', 'succeeded', 'failed', 'deadlettered'));
-- an attempt the open breaker did not let through: the channel was not called
ALTER TABLE sync_attempts DROP CONSTRAINT sync_attempts_outcome_check;
ALTER TABLE sync_attempts ADD CONSTRAINT sync_attempts_outcome_check
    CHECK (outcome IS NULL OR outcome IN ('succeeded', 'transient_failure', 'permanent_failure', 'held'));
CREATE INDEX sync_logs_held_idx ON sync_logs (id) WHERE status = 'held';
-- channel and connection health (GET /api/v1/channels/health) reads the attempts of the last window
CREATE INDEX sync_attempts_finished_at_idx ON sync_attempts (finished_at);
COMMENT ON COLUMN sync_logs.status IS 'pending -> running -> succeeded | retrying | held | failed; retrying -> pending (due); held -> pending (channel back); running|retrying -> deadlettered; failed|deadlettered -> pending (requeue).';
--rollback DROP INDEX sync_attempts_finished_at_idx;
--rollback DROP INDEX sync_logs_held_idx;
--rollback ALTER TABLE sync_attempts DROP CONSTRAINT sync_attempts_outcome_check;
--rollback ALTER TABLE sync_attempts ADD CONSTRAINT sync_attempts_outcome_check CHECK (outcome IS NULL OR outcome IN ('succeeded', 'transient_failure', 'permanent_failure'));
--rollback ALTER TABLE sync_logs DROP CONSTRAINT sync_logs_status_check;
--rollback ALTER TABLE sync_logs ADD CONSTRAINT sync_logs_status_check CHECK (status IN ('pending', 'running', 'retrying', 'succeeded', 'failed', 'deadlettered'));
