--liquibase formatted sql

--changeset channel-sync:440-subscriptions
-- Signed events out to the PMS (issue 14 section 4). A subscription is an endpoint and the event
-- types it wants; kind 'alerts' is the one row kept from channel-sync.alerts.webhook-url (the
-- operator alert webhook), kind 'webhook' the ones created through /api/v1/subscriptions.
create table subscriptions (
    id              uuid        primary key default gen_random_uuid(),
    agency_id       uuid        null references agencies (id),
    kind            text        not null default 'webhook',
    url             text        not null,
    event_types     text[]      not null,
    description     text        null,
    secret          bytea       null,
    status          text        not null default 'active',
    failing_since   timestamptz null,
    last_success_at timestamptz null,
    last_failure_at timestamptz null,
    last_error      text        null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint subscriptions_kind_check check (kind in ('webhook', 'alerts')),
    constraint subscriptions_status_check check (status in ('active', 'failing')),
    constraint subscriptions_secret_check check (kind = 'alerts' or secret is not null)
);
create unique index subscriptions_one_alerts_idx on subscriptions (kind) where kind = 'alerts';
create index subscriptions_agency_id_idx on subscriptions (agency_id);
comment on table subscriptions is 'Endpoints receiving signed events (Standard Webhooks). agency_id null: every agency''s events (operators).';
comment on column subscriptions.secret is 'The whsec_ secret, AES-256-GCM encrypted (CredentialCipher, associated data = id). Null for kind alerts: its secret is channel-sync.alerts.secret.';
comment on column subscriptions.status is 'active, or failing: a delivery exhausted its retries (alerted); a failing subscription keeps receiving events and is active again after a success.';

-- The outbox: written in the transaction of the change that causes the event; fanned out into
-- deliveries by the subscription-dispatch route (fanned_out_at).
create table events (
    id            uuid        primary key default gen_random_uuid(),
    type          text        not null,
    agency_id     uuid        null,
    data          jsonb       not null,
    created_at    timestamptz not null default now(),
    fanned_out_at timestamptz null
);
create index events_not_fanned_out_idx on events (created_at) where fanned_out_at is null;
comment on table events is 'Outbox of outgoing events. agency_id null: channel-wide, delivered to every subscription of its type.';

create table deliveries (
    id              bigserial   primary key,
    subscription_id uuid        not null references subscriptions (id) on delete cascade,
    event_id        uuid        not null references events (id),
    status          text        not null default 'pending',
    attempt_count   int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    claim_token     bigint      not null default 0,
    claimed_until   timestamptz null,
    last_status     int         null,
    last_error      text        null,
    redelivery_of   bigint      null references deliveries (id) on delete set null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    delivered_at    timestamptz null,
    constraint deliveries_status_check check (status in ('pending', 'delivering', 'retrying', 'succeeded', 'failed'))
);
create index deliveries_due_idx on deliveries (next_attempt_at) where status in ('pending', 'retrying', 'delivering');
create index deliveries_subscription_idx on deliveries (subscription_id, id desc);
comment on column deliveries.claim_token is 'Fencing token: + 1 on every claim; an attempt is recorded only under the token it was claimed with.';

create table delivery_attempts (
    delivery_id   bigint      not null references deliveries (id) on delete cascade,
    attempt       int         not null,
    attempted_at  timestamptz not null,
    duration_ms   int         not null,
    status_code   int         null,
    error         text        null,
    response_body text        null,
    primary key (delivery_id, attempt)
);
--rollback drop table delivery_attempts; drop table deliveries; drop table events; drop table subscriptions;
