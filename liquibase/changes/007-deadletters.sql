--liquibase formatted sql

--changeset channel-sync:007-deadletters
CREATE TABLE deadletters (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_route      text        NOT NULL,
    source            text        NOT NULL,
    sync_log_id       bigint      NULL REFERENCES sync_logs (id),
    webhook_log_id    bigint      NULL REFERENCES webhook_log (id),
    agency_id         uuid        NULL REFERENCES agencies (id),
    platform          text        NULL,
    payload           jsonb       NULL,
    headers           jsonb       NULL,
    exception_class   text        NULL,
    exception_message text        NULL,
    stack_trace       text        NULL,
    attempts          jsonb       NOT NULL DEFAULT '[]',
    attempt_count     int         NOT NULL DEFAULT 0,
    first_failure_at  timestamptz NULL,
    deadlettered_at   timestamptz NOT NULL DEFAULT now(),
    status            text        NOT NULL DEFAULT 'open',
    requeue_count     int         NOT NULL DEFAULT 0,
    requeued_at       timestamptz NULL,
    discarded_at      timestamptz NULL,
    CONSTRAINT deadletters_source_check CHECK (source IN ('sync', 'webhook')),
    -- A deadletter points at the row of its own source only.
    CONSTRAINT deadletters_sync_log_id_check CHECK (sync_log_id IS NULL OR source = 'sync'),
    CONSTRAINT deadletters_webhook_log_id_check CHECK (webhook_log_id IS NULL OR source = 'webhook'),
    CONSTRAINT deadletters_platform_check CHECK (platform IS NULL OR platform IN ('airbnb', 'booking_com')),
    CONSTRAINT deadletters_status_check CHECK (status IN ('open', 'requeued', 'discarded')),
    CONSTRAINT deadletters_attempts_check CHECK (jsonb_typeof(attempts) = 'array'),
    CONSTRAINT deadletters_attempt_count_check CHECK (attempt_count >= 0),
    CONSTRAINT deadletters_requeue_count_check CHECK (requeue_count >= 0)
);
CREATE INDEX deadletters_status_deadlettered_at_idx ON deadletters (status, deadlettered_at);
CREATE INDEX deadletters_agency_id_idx ON deadletters (agency_id);
CREATE INDEX deadletters_sync_log_id_idx ON deadletters (sync_log_id);
COMMENT ON TABLE deadletters IS 'Messages that exhausted their retries, with everything needed to inspect and requeue them. open -> requeued|discarded.';
COMMENT ON COLUMN deadletters.attempts IS 'JSON array with one element per attempt made before deadlettering.';
--rollback DROP TABLE deadletters;
