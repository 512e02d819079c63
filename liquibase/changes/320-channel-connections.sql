--liquibase formatted sql

--changeset channel-sync:320-channel-connections
-- An agency's account on a channel: the Airbnb host (account_id, with the host's OAuth token in
-- credentials) or the Booking.com hotels the provider's machine account may serve for it (hotel ids in
-- channel_connection_hotels). Credentials are AES-GCM ciphertext (nonce || ciphertext || tag) under
-- CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY, never plaintext. Soft delete like channel_mappings.
CREATE TABLE channel_connections (
    id          uuid        PRIMARY KEY,
    agency_id   uuid        NOT NULL REFERENCES agencies (id),
    platform    text        NOT NULL,
    account_id  text        NULL,
    credentials bytea       NULL,
    status      text        NOT NULL DEFAULT 'active',
    deleted_at  timestamptz NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channel_connections_status_check CHECK (status IN ('active', 'deleted')),
    CONSTRAINT channel_connections_deleted_check CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
    -- target of the composite foreign key from channel_mappings (mapping and connection agree on the agency)
    CONSTRAINT channel_connections_id_agency_id_key UNIQUE (id, agency_id)
);
-- One live connection per channel account: two agencies cannot both connect the same Airbnb host.
CREATE UNIQUE INDEX channel_connections_platform_account_key
    ON channel_connections (platform, account_id) WHERE deleted_at IS NULL AND account_id IS NOT NULL;
CREATE INDEX channel_connections_agency_id_idx ON channel_connections (agency_id);
COMMENT ON TABLE channel_connections IS 'An agency''s account on a channel (Airbnb host, Booking.com hotels). Soft-deleted via deleted_at.';
COMMENT ON COLUMN channel_connections.credentials IS 'AES-256-GCM: 12-byte random nonce || ciphertext || 16-byte tag of the credentials JSON; AAD is the connection id';

-- The Booking.com hotels a connection holds. Rows of a deleted connection are removed, so the unique
-- key says: a hotel is held by at most one live connection (one agency).
CREATE TABLE channel_connection_hotels (
    connection_id uuid NOT NULL REFERENCES channel_connections (id),
    hotel_id      text NOT NULL,
    PRIMARY KEY (connection_id, hotel_id),
    CONSTRAINT channel_connection_hotels_hotel_id_check CHECK (hotel_id ~ '^[1-9][0-9]{0,18}$')
);
CREATE UNIQUE INDEX channel_connection_hotels_hotel_key ON channel_connection_hotels (hotel_id);
COMMENT ON TABLE channel_connection_hotels IS 'Booking.com hotel ids (HotelCode) a live connection holds; one live holder per hotel';

-- A mapping names the connection its listing belongs to. Null only for mappings made before
-- connections existed (they keep syncing; Airbnb calls for them have no host token until one is set).
ALTER TABLE channel_mappings ADD COLUMN connection_id uuid NULL;
ALTER TABLE channel_mappings ADD CONSTRAINT channel_mappings_connection_fk
    FOREIGN KEY (connection_id, agency_id) REFERENCES channel_connections (id, agency_id);
CREATE INDEX channel_mappings_connection_id_idx ON channel_mappings (connection_id) WHERE connection_id IS NOT NULL;
COMMENT ON COLUMN channel_mappings.connection_id IS 'The channel connection (same agency) that owns the listing; required for new mappings';
--rollback ALTER TABLE channel_mappings DROP COLUMN connection_id; DROP TABLE channel_connection_hotels; DROP TABLE channel_connections;
