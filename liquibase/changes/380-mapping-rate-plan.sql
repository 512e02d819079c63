--liquibase formatted sql

--changeset channel-sync:380-mapping-rate-plan
-- The channel's rate plan of a mapping (Booking.com RatePlanCode): restrictions Booking.com keeps per
-- room and rate (minimum stay) are sent for it. Null: the channel has no rate plans, or none was given.
alter table channel_mappings add column rate_plan_id text;
--rollback alter table channel_mappings drop column rate_plan_id;
