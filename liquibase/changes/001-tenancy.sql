--liquibase formatted sql

--changeset channel-sync:001-agencies
CREATE TABLE agencies (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE agencies IS 'Tenant. Every business row belongs to exactly one agency.';
--rollback DROP TABLE agencies;

--changeset channel-sync:001-api-keys
CREATE TABLE api_keys (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id  uuid        NOT NULL REFERENCES agencies (id),
    key_hash   text        NOT NULL,
    key_prefix text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz NULL,
    CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash),
    -- Only a lowercase SHA-256 hex digest fits: a plaintext key can never be stored by mistake.
    CONSTRAINT api_keys_key_hash_check CHECK (key_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX api_keys_agency_id_idx ON api_keys (agency_id);
COMMENT ON COLUMN api_keys.key_hash IS 'Lowercase hex SHA-256 of the full key. The key itself is never stored.';
COMMENT ON COLUMN api_keys.key_prefix IS 'First characters of the key, to identify it in logs without revealing it.';
COMMENT ON COLUMN api_keys.revoked_at IS 'Non-null means the key is refused. Rows are kept for audit.';
--rollback DROP TABLE api_keys;

--changeset channel-sync:001-properties
CREATE TABLE properties (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id  uuid        NOT NULL REFERENCES agencies (id),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Target of composite foreign keys (property_id, agency_id) from child tables,
    -- so a child row can never name a property of another agency.
    CONSTRAINT properties_id_agency_id_key UNIQUE (id, agency_id)
);
COMMENT ON TABLE properties IS 'Rental unit in the PMS. Children reference (id, agency_id) so tenancy cannot disagree.';
--rollback DROP TABLE properties;
