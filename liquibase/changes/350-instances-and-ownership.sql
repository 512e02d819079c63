--liquibase formatted sql

--changeset channel-sync:350-instances
-- One row per process start (issue 11 item 4). A process writes heartbeat_at every
-- channel-sync.instances.heartbeat-interval; after two missed heartbeats (or stopped_at set by a
-- clean shutdown) it is dead, and any living instance takes back the work it owned.
CREATE TABLE instances (
    id           uuid        PRIMARY KEY,
    host         text        NOT NULL,
    pid          bigint      NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz NULL
);
CREATE INDEX instances_host_idx ON instances (host);
COMMENT ON TABLE instances IS 'Running (and past) channel-sync processes. Live: stopped_at is null and heartbeat_at within two heartbeat intervals (database clock).';
--rollback DROP TABLE instances;

--changeset channel-sync:350-webhook-log-owner
-- The instance whose in-memory queue holds a received/queued row. Null: nobody holds it (the queue
-- was full, or a dead letter was requeued), so any instance's sweep may take it at once.
-- No foreign key: the intake writes it in its one INSERT, and instance rows may be pruned.
ALTER TABLE webhook_log ADD COLUMN owner uuid NULL;
CREATE INDEX webhook_log_owner_idx ON webhook_log (owner) WHERE status IN ('received', 'queued');
COMMENT ON COLUMN webhook_log.owner IS 'instances.id holding the row in its memory queue while received/queued; null: claimable by any sweep.';
--rollback DROP INDEX webhook_log_owner_idx;
--rollback ALTER TABLE webhook_log DROP COLUMN owner;

--changeset channel-sync:350-sync-logs-owner-fencing
-- owner: the instance holding the job (in its queue, running it, or waiting out its backoff).
-- lease_token: fencing token, + 1 on every claim and takeover; a worker's UPDATE carries the token it
-- claimed with, so a stale worker whose job was taken over changes nothing.
-- next_attempt_at: when a retrying job's next attempt is due; a job taken over from a dead instance
-- waits out the rest of its delay, not a fresh one.
ALTER TABLE sync_logs
    ADD COLUMN owner           uuid        NULL,
    ADD COLUMN lease_token     bigint      NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz NULL;
CREATE INDEX sync_logs_owner_idx ON sync_logs (owner) WHERE status IN ('pending', 'running', 'retrying');
COMMENT ON COLUMN sync_logs.owner IS 'instances.id holding the job while pending/running/retrying; null: claimable by any sweep.';
COMMENT ON COLUMN sync_logs.lease_token IS 'Fencing token: incremented on every claim and takeover; worker updates require it unchanged.';
COMMENT ON COLUMN sync_logs.next_attempt_at IS 'When the next attempt of a retrying job is due.';
--rollback DROP INDEX sync_logs_owner_idx;
--rollback ALTER TABLE sync_logs DROP COLUMN next_attempt_at, DROP COLUMN lease_token, DROP COLUMN owner;
