--liquibase formatted sql

--changeset channel-sync:300-platforms-from-connectors
-- Which platforms exist is decided by the registered channel connectors (io.channelsync.channel.Channels),
-- which the API asks (422 unknown_platform), not by a list in four CHECK constraints: a new channel
-- then needs no schema change. What stays is the shape every connector's platform has (the rule
-- Channels enforces at start-up), so an empty or malformed value still cannot be stored.
ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_platform_check;
ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_platform_check CHECK (platform ~ '^[a-z][a-z0-9_]{0,31}$');
ALTER TABLE webhook_log DROP CONSTRAINT webhook_log_platform_check;
ALTER TABLE webhook_log ADD CONSTRAINT webhook_log_platform_check CHECK (platform ~ '^[a-z][a-z0-9_]{0,31}$');
ALTER TABLE deadletters DROP CONSTRAINT deadletters_platform_check;
ALTER TABLE deadletters ADD CONSTRAINT deadletters_platform_check CHECK (platform IS NULL OR platform ~ '^[a-z][a-z0-9_]{0,31}$');
-- The shape of a listing or room id is the channel's rule too (ChannelConnector.listingIds(): Airbnb
-- and Booking.com ids are digits, another channel's may not be): the schema keeps only what every
-- channel id is, 1 to 64 visible characters.
ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_listing_id_check;
ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_listing_id_check CHECK (listing_id ~ '^[[:graph:]]{1,64}$');
ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_room_id_check;
ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_room_id_check CHECK (room_id IS NULL OR room_id ~ '^[[:graph:]]{1,64}$');
-- bookings: any channel's platform, and 'direct' for the PMS's own bookings (the same shape)
ALTER TABLE bookings DROP CONSTRAINT bookings_platform_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_platform_check CHECK (platform ~ '^[a-z][a-z0-9_]{0,31}$');
--rollback ALTER TABLE bookings DROP CONSTRAINT bookings_platform_check;
--rollback ALTER TABLE bookings ADD CONSTRAINT bookings_platform_check CHECK (platform IN ('airbnb', 'booking_com', 'direct'));
--rollback ALTER TABLE deadletters DROP CONSTRAINT deadletters_platform_check;
--rollback ALTER TABLE deadletters ADD CONSTRAINT deadletters_platform_check CHECK (platform IS NULL OR platform IN ('airbnb', 'booking_com'));
--rollback ALTER TABLE webhook_log DROP CONSTRAINT webhook_log_platform_check;
--rollback ALTER TABLE webhook_log ADD CONSTRAINT webhook_log_platform_check CHECK (platform IN ('airbnb', 'booking_com'));
--rollback ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_room_id_check;
--rollback ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_room_id_check CHECK (room_id IS NULL OR room_id ~ '^[0-9]+$');
--rollback ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_listing_id_check;
--rollback ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_listing_id_check CHECK (listing_id ~ '^[1-9][0-9]{0,18}$');
--rollback ALTER TABLE channel_mappings DROP CONSTRAINT channel_mappings_platform_check;
--rollback ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_platform_check CHECK (platform IN ('airbnb', 'booking_com'));
