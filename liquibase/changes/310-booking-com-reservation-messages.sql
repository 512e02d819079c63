--liquibase formatted sql

--changeset channel-sync:310-booking-com-reservation-messages
-- Every reservation message polled from Booking.com's queue (OTA_HotelResNotif / OTA_HotelResModifyNotif) and
-- whether we acknowledged it successfully. Booking.com keeps a message until it is acknowledged, and e-mails it
-- to the property after about 30 minutes: a message still unacknowledged after
-- channel-sync.channels.booking-com.unacknowledged-alert-after raises one alert (alerted_at).
CREATE TABLE booking_com_reservation_messages (
    event_id        text        PRIMARY KEY,          -- <reservation id>@<version>[/modify], as webhook_log.event_id
    endpoint        text        NOT NULL,             -- OTA_HotelResNotif | OTA_HotelResModifyNotif
    reservation_id  text        NOT NULL,
    hotel_id        text        NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz NULL,                 -- set only by a successful acknowledgement
    last_ack_error  text        NULL,                 -- why the last acknowledgement was not a success
    alerted_at      timestamptz NULL,
    CONSTRAINT booking_com_reservation_messages_endpoint_check
        CHECK (endpoint IN ('OTA_HotelResNotif', 'OTA_HotelResModifyNotif'))
);
CREATE INDEX booking_com_reservation_messages_unacknowledged_idx
    ON booking_com_reservation_messages (first_seen_at) WHERE acknowledged_at IS NULL;
COMMENT ON TABLE booking_com_reservation_messages IS 'Booking.com reservation messages polled, and their acknowledgement (issue 10).';
--rollback DROP TABLE booking_com_reservation_messages;
