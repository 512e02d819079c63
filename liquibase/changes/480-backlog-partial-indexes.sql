--liquibase formatted sql

--changeset channel-sync:480-backlog-partial-indexes
-- The backlog gauges of /actuator/prometheus (issue 15) count only rows that are not final, through
-- these partial indexes: a scrape costs the same at 100 million rows as at 100. Each query repeats the
-- index's predicate exactly (ChannelSyncMetrics), so the planner can use it. A sync status not in the
-- final set (a new one such as held) is counted without a change here.
CREATE INDEX webhook_log_waiting_idx ON webhook_log (platform, status) WHERE status IN ('received', 'queued', 'unmapped');
CREATE INDEX sync_logs_open_idx ON sync_logs (status) WHERE status NOT IN ('succeeded', 'failed', 'deadlettered');
CREATE INDEX deadletters_open_idx ON deadletters (id) WHERE status = 'open';
--rollback DROP INDEX deadletters_open_idx; DROP INDEX sync_logs_open_idx; DROP INDEX webhook_log_waiting_idx;
