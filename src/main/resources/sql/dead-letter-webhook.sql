-- Dead letter of a webhook delivery that could not be processed (routed here by the webhook side
-- with deadLetterSource=webhook and webhookLogId). The webhook_log row becomes failed and the
-- deadletters row is written in ONE statement. Parameters come from DeadLetterStore.prepare.
with delivery as (
    update webhook_log
       set status = 'failed', error = cast(:#exceptionMessage as text), updated_at = now()
     where id = cast(:#webhookLogId as bigint)
       and status in ('received', 'queued', 'failed')
    returning id, platform, payload
)
insert into deadletters (source_route, source, webhook_log_id, platform, payload, headers,
                         exception_class, exception_message, stack_trace, attempts, attempt_count, first_failure_at)
select cast(:#sourceRoute as text), 'webhook', delivery.id, delivery.platform,
       coalesce(delivery.payload, cast(:#payload as jsonb)),
       cast(:#headers as jsonb), cast(:#exceptionClass as text), cast(:#exceptionMessage as text),
       cast(:#stackTrace as text), cast(:#attempts as jsonb), cast(:#attemptCount as int),
       cast(:#firstFailureAt as timestamptz)
from delivery
returning id
