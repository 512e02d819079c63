--liquibase formatted sql

--changeset channel-sync:400-property-currency
-- The currency a property's prices are in (ISO 4217, upper case). Null: the property has no prices yet;
-- the API refuses a price until one is set.
alter table properties add column currency char(3);
alter table properties add constraint properties_currency_check check (currency is null or currency ~ '^[A-Z]{3}$');
--rollback alter table properties drop column currency;

--changeset channel-sync:400-availability-restrictions
-- Units and stay rules per property (a room type) and night. units null: a row written before units
-- existed, read as available ? 1 : 0. available stays as units > 0 (older readers, shorthand).
-- min_stay is the minimum stay for an arrival that day (the API's min_stay_arrival).
alter table availability
    add column units int,
    add column min_stay_through int,
    add column max_stay int,
    add column closed_to_arrival boolean not null default false,
    add column closed_to_departure boolean not null default false,
    add column stop_sell boolean not null default false;
alter table availability
    add constraint availability_units_check check (units is null or units >= 0),
    add constraint availability_min_stay_through_check check (min_stay_through is null or min_stay_through >= 1),
    add constraint availability_max_stay_check check (max_stay is null or max_stay >= 1);
--rollback alter table availability drop column units, drop column min_stay_through, drop column max_stay, drop column closed_to_arrival, drop column closed_to_departure, drop column stop_sell;

--changeset channel-sync:400-booking-units
-- Units of the room type a booking holds (a channel booking is one room: 1). Active bookings take
-- their units from each night's units; a cancelled one gives them back.
alter table bookings add column units int not null default 1;
alter table bookings add constraint bookings_units_check check (units >= 1);
--rollback alter table bookings drop column units;

--changeset channel-sync:400-pushed-days
-- The delta store: what was last pushed per mapping and night (the channel's target and the day's
-- values as one text), so a push sends only the nights that changed since.
create table pushed_days (
    mapping_id uuid        not null references channel_mappings (id) on delete cascade,
    day        date        not null,
    state      text        not null,
    pushed_at  timestamptz not null default now(),
    constraint pushed_days_pkey primary key (mapping_id, day)
);
comment on table pushed_days is 'Last state pushed per mapping and night: only nights whose state differs are pushed again (a full sync ignores it).';
--rollback drop table pushed_days;
