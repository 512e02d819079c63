--liquibase formatted sql

--changeset channel-sync:002-bookings
CREATE TABLE bookings (
    id                uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id         uuid          NOT NULL REFERENCES agencies (id),
    property_id       uuid          NOT NULL,
    platform          text          NOT NULL,
    reservation_code  text          NULL,
    check_in          date          NOT NULL,
    check_out         date          NOT NULL,
    status            text          NOT NULL DEFAULT 'pending',
    guest_name        text          NULL,
    guests            int           NULL,
    total_amount      numeric(12,2) NULL,
    currency          char(3)       NULL,
    source_updated_at timestamptz   NULL,
    created_at        timestamptz   NOT NULL DEFAULT now(),
    updated_at        timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT bookings_property_fk FOREIGN KEY (property_id, agency_id)
        REFERENCES properties (id, agency_id),
    CONSTRAINT bookings_platform_check CHECK (platform IN ('airbnb', 'booking_com', 'direct')),
    -- Channel bookings always carry the channel's code. Only direct bookings may lack one.
    CONSTRAINT bookings_reservation_code_check CHECK (platform = 'direct' OR reservation_code IS NOT NULL),
    CONSTRAINT bookings_dates_check CHECK (check_out > check_in),
    CONSTRAINT bookings_status_check CHECK (status IN ('pending', 'confirmed', 'cancelled')),
    CONSTRAINT bookings_guests_check CHECK (guests IS NULL OR guests > 0),
    -- NULL reservation codes (direct bookings) are distinct, so they never collide here.
    CONSTRAINT bookings_platform_reservation_code_key UNIQUE (platform, reservation_code)
);
CREATE INDEX bookings_property_id_check_in_idx ON bookings (property_id, check_in);
CREATE INDEX bookings_agency_id_updated_at_idx ON bookings (agency_id, updated_at);
COMMENT ON TABLE bookings IS 'Bookings as held by the PMS, one row per (platform, reservation_code).';
COMMENT ON COLUMN bookings.source_updated_at IS 'Channel event time of the version stored. An event older than this must not overwrite the row.';
--rollback DROP TABLE bookings;

--changeset channel-sync:002-availability
CREATE TABLE availability (
    property_id uuid          NOT NULL REFERENCES properties (id),
    day         date          NOT NULL,
    available   boolean       NOT NULL,
    min_stay    int           NULL,
    price       numeric(12,2) NULL,
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT availability_pkey PRIMARY KEY (property_id, day),
    CONSTRAINT availability_min_stay_check CHECK (min_stay IS NULL OR min_stay >= 1),
    CONSTRAINT availability_price_check CHECK (price IS NULL OR price >= 0)
);
COMMENT ON TABLE availability IS 'PMS calendar, one row per property and night. Source of push_availability sync jobs.';
--rollback DROP TABLE availability;
