--liquibase formatted sql

--changeset channel-sync:421-double-bookings
-- Issue 14.3: overbookings caught as they arrive. One row per conflicting pair of active bookings of one property
-- (the pair ordered, booking_id < other_booking_id), written in the transaction that stored the later booking;
-- the unique pair is what makes the double_booking alert once per pair however often an event is replayed.
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
    CONSTRAINT double_bookings_pair_order_check CHECK (booking_id < other_booking_id),
    CONSTRAINT double_bookings_pair_key UNIQUE (booking_id, other_booking_id)
);
CREATE INDEX double_bookings_unalerted_idx ON double_bookings (id) WHERE alerted_at IS NULL;
CREATE INDEX double_bookings_other_booking_id_idx ON double_bookings (other_booking_id);
COMMENT ON TABLE double_bookings IS 'Pairs of active bookings of one property whose nights overlap, found when the later one was stored; alerted once (kind double_booking).';
--rollback DROP TABLE double_bookings;
