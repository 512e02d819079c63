--liquibase formatted sql

--changeset channel-sync:005-sync-logs-retry-columns
-- Added to an existing table: NOT NULL columns carry defaults so existing rows are filled in.
ALTER TABLE sync_logs
    ADD COLUMN retry_count   int         NOT NULL DEFAULT 0
        CONSTRAINT sync_logs_retry_count_check CHECK (retry_count >= 0),
    ADD COLUMN max_retries   int         NOT NULL DEFAULT 5
        CONSTRAINT sync_logs_max_retries_check CHECK (max_retries >= 0),
    ADD COLUMN deadletter_at timestamptz NULL;
COMMENT ON COLUMN sync_logs.retry_count IS 'Retries used so far (attempts after the first).';
COMMENT ON COLUMN sync_logs.max_retries IS 'Retries allowed before the job is deadlettered.';
COMMENT ON COLUMN sync_logs.deadletter_at IS 'When the job moved to deadlettered.';
--rollback ALTER TABLE sync_logs DROP COLUMN deadletter_at, DROP COLUMN max_retries, DROP COLUMN retry_count;
