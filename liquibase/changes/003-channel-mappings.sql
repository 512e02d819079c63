--liquibase formatted sql

--changeset channel-sync:003-channel-mappings
CREATE TABLE channel_mappings (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id    uuid        NOT NULL REFERENCES agencies (id),
    property_id  uuid        NOT NULL,
    platform     text        NOT NULL,
    listing_id   text        NOT NULL,
    room_id      text        NULL,
    sync_enabled boolean     NOT NULL DEFAULT true,
    deleted_at   timestamptz NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channel_mappings_property_fk FOREIGN KEY (property_id, agency_id)
        REFERENCES properties (id, agency_id),
    CONSTRAINT channel_mappings_platform_check CHECK (platform IN ('airbnb', 'booking_com')),
    -- Channel ids are text: Airbnb listing ids have up to 19 digits and overflow int.
    CONSTRAINT channel_mappings_listing_id_check CHECK (listing_id ~ '^[1-9][0-9]{0,18}$'),
    CONSTRAINT channel_mappings_room_id_check CHECK (room_id IS NULL OR room_id ~ '^[0-9]+$'),
    -- Booking.com availability is per room type, so a Booking.com mapping needs a room.
    CONSTRAINT channel_mappings_booking_com_room_check CHECK (platform <> 'booking_com' OR room_id IS NOT NULL),
    -- Target of the composite foreign key from sync_logs (mapping and job agree on the agency).
    CONSTRAINT channel_mappings_id_agency_id_key UNIQUE (id, agency_id)
);
-- The unique indexes are partial: a soft-deleted mapping keeps its row (sync_logs still point
-- at it) but must not stop the property or listing from being mapped again.
CREATE UNIQUE INDEX channel_mappings_property_platform_key
    ON channel_mappings (property_id, platform) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX channel_mappings_platform_listing_key
    ON channel_mappings (platform, listing_id, coalesce(room_id, '')) WHERE deleted_at IS NULL;
CREATE INDEX channel_mappings_agency_id_idx ON channel_mappings (agency_id);
COMMENT ON TABLE channel_mappings IS 'Links a PMS property to a listing (and, for Booking.com, a room) on one channel. Soft-deleted via deleted_at.';
COMMENT ON COLUMN channel_mappings.deleted_at IS 'Soft delete. Rows are never hard-deleted: sync_logs reference them.';
--rollback DROP TABLE channel_mappings;
