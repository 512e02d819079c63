--liquibase formatted sql

--changeset channel-sync:560-autovacuum-fixed-thresholds
-- The work tables change the same few thousand rows a minute whatever their history (issue 15). PostgreSQL's
-- default autovacuum waits for 20% of a table to change (50 + 0.2 x rows): at 10 million webhook_log rows that
-- is 2 million dead row versions before a vacuum and a million changes before an analyze. Meanwhile the partial
-- indexes of waiting rows (what the sweeps, the refill and the backlog gauges read) fill with dead entries, and
-- stale statistics misplan their queries: a cost that grew with the history. Fixed thresholds make the
-- cadence a matter of traffic, not of table size (a vacuum that finds few pages with dead rows skips the
-- index passes, so it stays cheap on a large table).
ALTER TABLE webhook_log SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 50000);
ALTER TABLE sync_logs SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 50000);
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 50000);
--rollback ALTER TABLE deliveries RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
--rollback ALTER TABLE sync_logs RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
--rollback ALTER TABLE webhook_log RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
