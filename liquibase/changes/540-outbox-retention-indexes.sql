--liquibase formatted sql

--changeset channel-sync:540-outbox-retention-indexes
-- The retention route prunes the subscriptions outbox (issue 15): finished deliveries (their attempts
-- cascade), then events no delivery points at. Without these, each pruning batch, and each event or
-- delivery deleted (the foreign key checks), would scan deliveries: tens of millions of rows.
-- Retention repeats the partial predicates exactly, so the planner can use them.
CREATE INDEX deliveries_final_idx ON deliveries (updated_at) WHERE status IN ('succeeded', 'failed');
-- "no delivery left" of an event, and the check of events.id when an event is deleted
CREATE INDEX deliveries_event_id_idx ON deliveries (event_id);
-- ON DELETE SET NULL of redelivery_of when the original delivery is deleted
CREATE INDEX deliveries_redelivery_of_idx ON deliveries (redelivery_of) WHERE redelivery_of IS NOT NULL;
CREATE INDEX events_fanned_out_idx ON events (created_at) WHERE fanned_out_at IS NOT NULL;
--rollback DROP INDEX events_fanned_out_idx; DROP INDEX deliveries_redelivery_of_idx; DROP INDEX deliveries_event_id_idx; DROP INDEX deliveries_final_idx;
