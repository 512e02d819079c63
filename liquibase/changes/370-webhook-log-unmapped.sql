--liquibase formatted sql

--changeset channel-sync:370-webhook-log-unmapped
-- Issue 11.2: a reservation for a listing (or Booking.com room) that is not mapped yet is PARKED, not failed:
-- status 'unmapped', with the listing and room it waits for. Creating (or changing) a mapping of that listing
-- moves its parked events back to 'queued' and applies them (WebhookLog.releaseUnmapped). An 'unmapped' row
-- stays the live row of its event id, so the channel's redelivery is a duplicate and nothing is applied twice.
ALTER TABLE webhook_log DROP CONSTRAINT webhook_log_status_check;
ALTER TABLE webhook_log ADD CONSTRAINT webhook_log_status_check
    CHECK (status IN ('received', 'queued', 'processed', 'failed', 'rejected', 'duplicate', 'unmapped'));
ALTER TABLE webhook_log ADD COLUMN unmapped_listing_id text NULL;
ALTER TABLE webhook_log ADD COLUMN unmapped_room_id text NULL;
CREATE INDEX webhook_log_unmapped_idx ON webhook_log (platform, unmapped_listing_id) WHERE status = 'unmapped';
COMMENT ON COLUMN webhook_log.unmapped_listing_id IS 'The channel listing (Booking.com hotel) a parked (unmapped) event waits for a mapping of';
COMMENT ON COLUMN webhook_log.unmapped_room_id IS 'The room (Booking.com) a parked event waits for; null for a channel without rooms';
--rollback DROP INDEX webhook_log_unmapped_idx;
--rollback ALTER TABLE webhook_log DROP COLUMN unmapped_room_id;
--rollback ALTER TABLE webhook_log DROP COLUMN unmapped_listing_id;
--rollback ALTER TABLE webhook_log DROP CONSTRAINT webhook_log_status_check;
--rollback ALTER TABLE webhook_log ADD CONSTRAINT webhook_log_status_check CHECK (status IN ('received', 'queued', 'processed', 'failed', 'rejected', 'duplicate'));
