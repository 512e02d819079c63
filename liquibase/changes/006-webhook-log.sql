--liquibase formatted sql

--changeset channel-sync:006-webhook-log
CREATE TABLE webhook_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform        text        NOT NULL,
    event_id        text        NULL,
    event_type      text        NULL,
    event_time      timestamptz NULL,
    headers         jsonb       NOT NULL DEFAULT '{}',
    raw_body        bytea       NULL,
    payload         jsonb       NULL,
    signature_valid boolean     NOT NULL DEFAULT false,
    status          text        NOT NULL DEFAULT 'received',
    error           text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    processed_at    timestamptz NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_log_platform_check CHECK (platform IN ('airbnb', 'booking_com')),
    CONSTRAINT webhook_log_status_check
        CHECK (status IN ('received', 'queued', 'processed', 'failed', 'rejected', 'duplicate'))
);
CREATE INDEX webhook_log_platform_idx ON webhook_log (platform);
CREATE INDEX webhook_log_created_at_idx ON webhook_log (created_at);
-- Deduplication key. Partial so that a forged (rejected) or repeated (duplicate) delivery is
-- still logged but can neither block nor replace the genuine row for that event_id.
-- ON CONFLICT must repeat the predicate to use it:
--   ON CONFLICT (platform, event_id) WHERE status NOT IN ('rejected', 'duplicate') DO NOTHING
CREATE UNIQUE INDEX webhook_log_platform_event_id_key
    ON webhook_log (platform, event_id) WHERE status NOT IN ('rejected', 'duplicate');
-- Crash recovery: events accepted but not yet processed.
CREATE INDEX webhook_log_recovery_idx
    ON webhook_log (status, updated_at) WHERE status IN ('received', 'queued');
COMMENT ON TABLE webhook_log IS 'Every inbound webhook delivery, including rejected and duplicate ones. received -> queued -> processed|failed. rejected and duplicate are terminal on arrival.';
COMMENT ON COLUMN webhook_log.raw_body IS 'Exact bytes received, kept for signature re-checks and replay.';
COMMENT ON COLUMN webhook_log.payload IS 'Parsed body. Null when the body is not parseable JSON.';
--rollback DROP TABLE webhook_log;
