-- Dead letter of a sync job, written by the dead-letter-store route through camel-sql: ONE statement,
-- so the job's move to deadlettered (or its staying failed, after a permanent error) and the
-- deadletters row commit together or not at all. Parameters come from DeadLetterStore.prepare.
-- The same statement writes the sync.deadlettered event for the PMS (outbox `events`, EventTypes).
with job as (
    update sync_logs
       set status        = case when status = 'failed' then 'failed' else 'deadlettered' end,
           deadletter_at = case when status = 'failed' then deadletter_at else now() end,
           finished_at   = now(),
           last_error    = coalesce(cast(:#exceptionMessage as text), last_error),
           updated_at    = now()
     where id = cast(:#syncJobId as bigint)
       and status in ('running', 'retrying', 'failed')
       -- fencing: only under the token of the attempt that failed (null: the claim itself failed)
       and (cast(:#syncLeaseToken as bigint) is null or lease_token = cast(:#syncLeaseToken as bigint))
    returning id, agency_id, mapping_id, payload
), stored as (
insert into deadletters (source_route, source, sync_log_id, agency_id, platform, payload, headers,
                         exception_class, exception_message, stack_trace, attempts, attempt_count, first_failure_at)
select cast(:#sourceRoute as text), 'sync', job.id, job.agency_id, m.platform,
       jsonb_build_object('sync_job_id', job.id, 'mapping_id', m.id, 'platform', m.platform,
                          'listing_id', m.listing_id, 'room_id', m.room_id, 'job', job.payload),
       cast(:#headers as jsonb), cast(:#exceptionClass as text), cast(:#exceptionMessage as text),
       cast(:#stackTrace as text), a.attempts, a.attempt_count, coalesce(a.first_failure_at, now())
from job
join channel_mappings m on m.id = job.mapping_id
cross join lateral (
    select coalesce(jsonb_agg(jsonb_build_object('attempt', t.attempt_number, 'started_at', t.started_at,
                                                 'finished_at', t.finished_at, 'outcome', t.outcome,
                                                 'http_status', t.http_status, 'error', t.error)
                              order by t.attempt_number), cast('[]' as jsonb)) as attempts,
           cast(count(*) as int) as attempt_count,
           min(t.finished_at) filter (where t.outcome in ('transient_failure', 'permanent_failure')) as first_failure_at
    from sync_attempts t
    where t.sync_log_id = job.id
) a
returning id, agency_id, platform, payload, exception_class, exception_message, attempt_count, deadlettered_at
), event as (
    insert into events (type, agency_id, data)
    select 'sync.deadlettered', stored.agency_id,
           jsonb_build_object('dead_letter_id', stored.id, 'agency_id', stored.agency_id, 'platform', stored.platform,
                              'sync_job_id', stored.payload->'sync_job_id', 'mapping_id', stored.payload->'mapping_id',
                              'listing_id', stored.payload->'listing_id', 'room_id', stored.payload->'room_id',
                              'job', stored.payload->'job', 'exception_class', stored.exception_class,
                              'error', stored.exception_message, 'attempt_count', stored.attempt_count,
                              'deadlettered_at', stored.deadlettered_at)
    from stored
)
select id from stored
