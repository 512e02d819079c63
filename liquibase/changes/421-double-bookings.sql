--liquibase formatted sql

--changeset channel-sync:421-double-bookings
-- Issue 14.3: overbookings caught as they arrive. One row per conflicting pair of active bookings of one property,
-- written in the transaction that stored booking_id (the one that arrived) over other_booking_id (the one holding
-- the nights); the pair is unique in either order, which is what makes the double_booking alert once per pair
-- however often an event is replayed.
CREATE TABLE double_bookings (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id        uuid        NOT NULL REFERENCES agencies (id),
    property_id      uuid        NOT NULL REFERENCES properties (id),
    booking_id       uuid        NOT NULL REFERENCES bookings (id),
    other_booking_id uuid        NOT NULL REFERENCES bookings (id),
    detected_at      timestamptz NOT NULL DEFAULT now(),
    -- claimed for alerting (null: the alert is still to be raised), then the alert raised
    alerted_at       timestamptz NULL,
    alert_id         bigint      NULL REFERENCES alerts (id),
    CONSTRAINT double_bookings_two_bookings_check CHECK (booking_id <> other_booking_id)
);
CREATE UNIQUE INDEX double_bookings_pair_key
    ON double_bookings (least(booking_id, other_booking_id), greatest(booking_id, other_booking_id));
CREATE INDEX double_bookings_unalerted_idx ON double_bookings (id) WHERE alerted_at IS NULL;
CREATE INDEX double_bookings_other_booking_id_idx ON double_bookings (other_booking_id);
CREATE INDEX double_bookings_booking_id_idx ON double_bookings (booking_id);
COMMENT ON TABLE double_bookings IS 'Pairs of active bookings of one property whose nights overlap, found when booking_id was stored; alerted once (kind double_booking), one alert per arriving booking.';
--rollback DROP TABLE double_bookings;
