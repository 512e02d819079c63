--liquibase formatted sql

--changeset channel-sync:530-channel-polls
-- When a polled channel (Booking.com's reservation queue) was last polled, by any instance (issue 15:
-- the cluster polls once per poll-interval, and another instance takes over when the poller dies).
-- Every instance checks it every poll-check-interval; the one that finds the poll due records it here
-- in the same statement and polls. Times are the database's clock, so the hosts' clocks need not agree.
CREATE TABLE channel_polls (
    platform  text        PRIMARY KEY CHECK (platform ~ '^[a-z][a-z0-9_]{0,31}$'),
    polled_at timestamptz NOT NULL,
    polled_by uuid        NOT NULL
);
COMMENT ON TABLE channel_polls IS 'Last poll of a polled channel across the cluster; polled_by is the instances.id that polled.';
--rollback DROP TABLE channel_polls;
