--liquibase formatted sql

--changeset channel-sync:004-sync-logs
CREATE TABLE sync_logs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id    uuid        NOT NULL REFERENCES agencies (id),
    mapping_id   uuid        NOT NULL,
    operation    text        NOT NULL,
    payload      jsonb       NOT NULL DEFAULT '{}',
    status       text        NOT NULL DEFAULT 'pending',
    triggered_at timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz NULL,
    finished_at  timestamptz NULL,
    last_error   text        NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Composite so a job can never run against another agency's mapping.
    -- RESTRICT: mappings are soft-deleted, so their jobs keep pointing at them.
    CONSTRAINT sync_logs_mapping_fk FOREIGN KEY (mapping_id, agency_id)
        REFERENCES channel_mappings (id, agency_id),
    CONSTRAINT sync_logs_operation_check CHECK (operation IN ('push_availability')),
    CONSTRAINT sync_logs_status_check
        CHECK (status IN ('pending', 'running', 'retrying', 'succeeded', 'failed', 'deadlettered'))
);
-- Lease recovery: find jobs left pending/running/retrying whose updated_at is older than the lease.
CREATE INDEX sync_logs_status_updated_at_idx ON sync_logs (status, updated_at);
CREATE INDEX sync_logs_mapping_id_idx ON sync_logs (mapping_id);
CREATE INDEX sync_logs_agency_id_triggered_at_idx ON sync_logs (agency_id, triggered_at);
COMMENT ON TABLE sync_logs IS 'One row per sync job. pending -> running -> succeeded, running -> retrying -> running, running|retrying -> deadlettered, running -> failed. deadlettered|failed -> pending only by requeue.';
COMMENT ON COLUMN sync_logs.updated_at IS 'Lease clock, set by the application on every state change and heartbeat. Jobs pending/running/retrying past the lease are recovered.';
--rollback DROP TABLE sync_logs;

--changeset channel-sync:004-sync-attempts
CREATE TABLE sync_attempts (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- CASCADE: attempts are pure children of their job.
    sync_log_id    bigint      NOT NULL REFERENCES sync_logs (id) ON DELETE CASCADE,
    attempt_number int         NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz NULL,
    outcome        text        NULL,
    http_status    int         NULL,
    error          text        NULL,
    CONSTRAINT sync_attempts_attempt_number_check CHECK (attempt_number >= 1),
    CONSTRAINT sync_attempts_outcome_check
        CHECK (outcome IS NULL OR outcome IN ('succeeded', 'transient_failure', 'permanent_failure')),
    CONSTRAINT sync_attempts_http_status_check CHECK (http_status IS NULL OR http_status BETWEEN 100 AND 599),
    CONSTRAINT sync_attempts_sync_log_id_attempt_number_key UNIQUE (sync_log_id, attempt_number)
);
COMMENT ON TABLE sync_attempts IS 'One row per attempt of a sync job. outcome is null while the attempt is in flight.';
--rollback DROP TABLE sync_attempts;
