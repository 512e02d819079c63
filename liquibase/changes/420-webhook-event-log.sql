--liquibase formatted sql

--changeset channel-sync:420-webhook-attempts
-- Issue 14.1: every processing attempt of an inbound event (webhook or polled), like sync_attempts for jobs.
-- Written by processing in the transaction that moves the webhook_log row (processed, unmapped, failed), or,
-- for an attempt that threw (rolled back and retried), in a transaction of its own with outcome 'error'.
CREATE TABLE webhook_attempts (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- CASCADE: attempts are pure children of their event.
    webhook_log_id bigint      NOT NULL REFERENCES webhook_log (id) ON DELETE CASCADE,
    attempt_number int         NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL DEFAULT now(),
    outcome        text        NOT NULL,
    error          text        NULL,
    CONSTRAINT webhook_attempts_attempt_number_check CHECK (attempt_number >= 1),
    CONSTRAINT webhook_attempts_outcome_check CHECK (outcome IN ('processed', 'unmapped', 'failed', 'error')),
    CONSTRAINT webhook_attempts_webhook_log_id_attempt_number_key UNIQUE (webhook_log_id, attempt_number)
);
COMMENT ON TABLE webhook_attempts IS 'One row per processing attempt of a webhook_log event. outcome error: it threw, was rolled back and retried (or dead-lettered).';
--rollback DROP TABLE webhook_attempts;

--changeset channel-sync:420-webhook-log-listing-agency
-- Issue 14.1: the event log is filtered by listing and, for an agency, shows only events of its own mappings.
-- Processing writes the listing the event is about and the agency of its mapping (null while unmapped).
ALTER TABLE webhook_log ADD COLUMN listing_id text NULL;
ALTER TABLE webhook_log ADD COLUMN agency_id uuid NULL REFERENCES agencies (id);
CREATE INDEX webhook_log_agency_id_idx ON webhook_log (agency_id, id) WHERE agency_id IS NOT NULL;
CREATE INDEX webhook_log_listing_id_idx ON webhook_log (listing_id) WHERE listing_id IS NOT NULL;
-- events stored before: the agency and listing of the booking each one last wrote, or the listing it waits for
UPDATE webhook_log w
   SET agency_id = b.agency_id,
       listing_id = (SELECT m.listing_id FROM channel_mappings m
                      WHERE m.property_id = b.property_id AND m.platform = b.platform
                      ORDER BY m.deleted_at NULLS FIRST LIMIT 1)
  FROM bookings b
 WHERE b.source_webhook_log_id = w.id;
UPDATE webhook_log SET listing_id = unmapped_listing_id WHERE listing_id IS NULL AND unmapped_listing_id IS NOT NULL;
COMMENT ON COLUMN webhook_log.listing_id IS 'The channel listing (Booking.com hotel) the event is about, written by processing';
COMMENT ON COLUMN webhook_log.agency_id IS 'The agency whose mapping the event was applied to, written by processing; null: no mapping (yet), or rejected';
--rollback DROP INDEX webhook_log_listing_id_idx;
--rollback DROP INDEX webhook_log_agency_id_idx;
--rollback ALTER TABLE webhook_log DROP COLUMN agency_id;
--rollback ALTER TABLE webhook_log DROP COLUMN listing_id;
