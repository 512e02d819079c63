--liquibase formatted sql

--changeset channel-sync:008-reconciliation-runs
CREATE TABLE reconciliation_runs (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id        uuid        NOT NULL REFERENCES agencies (id),
    trigger          text        NOT NULL,
    status           text        NOT NULL DEFAULT 'running',
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz NULL,
    pms_bookings     int         NOT NULL DEFAULT 0,
    channel_bookings int         NOT NULL DEFAULT 0,
    discrepancies    int         NOT NULL DEFAULT 0,
    mappings_failed  int         NOT NULL DEFAULT 0,
    error            text        NULL,
    CONSTRAINT reconciliation_runs_trigger_check CHECK (trigger IN ('schedule', 'api')),
    CONSTRAINT reconciliation_runs_status_check CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    CONSTRAINT reconciliation_runs_counts_check
        CHECK (pms_bookings >= 0 AND channel_bookings >= 0 AND discrepancies >= 0 AND mappings_failed >= 0),
    -- Target of the composite foreign key from reconciliation_log.
    CONSTRAINT reconciliation_runs_id_agency_id_key UNIQUE (id, agency_id)
);
CREATE INDEX reconciliation_runs_agency_id_started_at_idx ON reconciliation_runs (agency_id, started_at);
COMMENT ON TABLE reconciliation_runs IS 'One reconciliation of one agency (PMS bookings vs channel bookings). partial = some mappings could not be checked.';
--rollback DROP TABLE reconciliation_runs;

--changeset channel-sync:008-reconciliation-log
CREATE TABLE reconciliation_log (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint      NOT NULL,
    agency_id     uuid        NOT NULL,
    mapping_id    uuid        NULL,
    property_id   uuid        NULL,
    reservation_code text     NULL,
    kind          text        NOT NULL,
    severity      text        NOT NULL,
    pms_value     jsonb       NULL,
    channel_value jsonb       NULL,
    detected_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz NULL,
    -- Composite keys: a finding always belongs to the agency of its run, mapping and property.
    -- agency_id is NOT NULL, so a null mapping_id/property_id simply skips that check.
    -- CASCADE: findings are pure children of their run.
    CONSTRAINT reconciliation_log_run_fk FOREIGN KEY (run_id, agency_id)
        REFERENCES reconciliation_runs (id, agency_id) ON DELETE CASCADE,
    CONSTRAINT reconciliation_log_mapping_fk FOREIGN KEY (mapping_id, agency_id)
        REFERENCES channel_mappings (id, agency_id),
    CONSTRAINT reconciliation_log_property_fk FOREIGN KEY (property_id, agency_id)
        REFERENCES properties (id, agency_id),
    CONSTRAINT reconciliation_log_kind_check CHECK (kind IN (
        'missing_in_pms', 'missing_on_channel', 'dates_differ', 'status_differs',
        'guests_differ', 'amount_differs', 'double_booking', 'channel_unreachable')),
    CONSTRAINT reconciliation_log_severity_check CHECK (severity IN ('info', 'warning', 'critical'))
);
CREATE INDEX reconciliation_log_run_id_idx ON reconciliation_log (run_id);
CREATE INDEX reconciliation_log_agency_id_detected_at_idx ON reconciliation_log (agency_id, detected_at);
COMMENT ON TABLE reconciliation_log IS 'One discrepancy found by a reconciliation run.';
--rollback DROP TABLE reconciliation_log;

--changeset channel-sync:008-alerts
CREATE TABLE alerts (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Plain (not composite) keys: both are nullable, and a composite key is not checked
    -- at all when one of its columns is null.
    agency_id      uuid        NULL REFERENCES agencies (id),
    run_id         bigint      NULL REFERENCES reconciliation_runs (id),
    severity       text        NOT NULL,
    kind           text        NOT NULL,
    message        text        NOT NULL,
    payload        jsonb       NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    delivered_at   timestamptz NULL,
    delivery_error text        NULL,
    CONSTRAINT alerts_severity_check CHECK (severity IN ('info', 'warning', 'critical')),
    -- kind is an open set (new alert kinds need no migration), but it must be a code, not prose.
    CONSTRAINT alerts_kind_check CHECK (kind ~ '^[A-Za-z][A-Za-z0-9_.:-]*$')
);
CREATE INDEX alerts_agency_id_created_at_idx ON alerts (agency_id, created_at);
COMMENT ON TABLE alerts IS 'Operator notifications. agency_id null = system-wide. delivered_at null = not yet delivered.';
COMMENT ON COLUMN alerts.kind IS 'Machine code of the alert (e.g. a reconciliation_log kind). Open set, format-checked only.';
--rollback DROP TABLE alerts;
