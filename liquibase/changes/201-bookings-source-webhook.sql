--liquibase formatted sql

--changeset channel-sync:201-bookings-source-webhook
-- Channels stamp their events in whole seconds, so two versions of one reservation (a booking and
-- its cancellation) can carry the same time. The webhook_log id of the version stored breaks such
-- ties in arrival order, so the later delivery wins whatever order the consumers ran in.
ALTER TABLE bookings ADD COLUMN source_webhook_log_id bigint;
COMMENT ON COLUMN bookings.source_webhook_log_id IS 'webhook_log row of the version stored: the tie-breaker when two versions have the same source_updated_at';
--rollback ALTER TABLE bookings DROP COLUMN source_webhook_log_id;
