package io.channelsync.reconciliation;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.channelsync.webhook.StandardWebhooksVerifier;
import io.channelsync.webhook.WebhookRejection;
import io.channelsync.support.TestData;
import io.channelsync.support.TestData.Agency;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Quartz route: it does not start by itself in tests (auto-startup false, cron every second in
 * application-test.yaml); each test starts it through the RouteController, waits for the run rows of
 * its own agencies, and stops it again.
 */
class ReconciliationScheduleTest extends ReconciliationTestSupport {

    static final String ROUTE = "reconciliation-schedule";

    @Autowired
    StandardWebhooksVerifier receiver;

    record Mapped(Agency agency, UUID property, String listing) {
    }

    Mapped mapped() {
        Agency agency = data.agency();
        UUID property = data.property(agency.id());
        String listing = TestData.uniqueListingId();
        data.airbnbMapping(agency.id(), property, listing);
        return new Mapped(agency, property, listing);
    }

    /** The Airbnb host of the agency's connection: Airbnb lists reservations per host. */
    String hostOf(Mapped mapped) {
        return data.airbnbHost(data.airbnbConnection(mapped.agency().id()));
    }

    List<Map<String, Object>> scheduledRuns(UUID agency) {
        return jdbc.queryForList("""
                select id, status, started_at, finished_at, discrepancies, mappings_failed from reconciliation_runs
                where agency_id = ? and trigger = 'schedule' order by started_at""", agency);
    }

    boolean finishedScheduledRuns(UUID agency, int atLeast) {
        return scheduledRuns(agency).stream().filter(r -> r.get("finished_at") != null).count() >= atLeast;
    }

    @Test
    void theScheduledJobReconcilesEachAgencyAndAnUnreachableChannelFailsOnlyItsAgency() throws Exception {
        CHANNELS.stubFor(post(urlPathEqualTo(ALERT_WEBHOOK)).willReturn(aResponse().withStatus(204)));
        Mapped clean = mapped();
        Mapped drifting = mapped();
        Mapped down = mapped();
        String code = code();
        booking(clean.agency().id(), clean.property(), "airbnb", code, TODAY.plusDays(5), TODAY.plusDays(7), "confirmed", 2, "100.00");
        stubAirbnb(clean.listing(), List.of(airbnbReservation(clean.listing(), code, TODAY.plusDays(5), TODAY.plusDays(7), "accept", 2, "100.00")));
        booking(drifting.agency().id(), drifting.property(), "airbnb", code(), TODAY.plusDays(5), TODAY.plusDays(7), "confirmed", 2, "100.00");
        stubAirbnb(drifting.listing(), List.of());
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(hostOf(down)))
                .willReturn(aResponse().withStatus(503)));

        camel.getRouteController().startRoute(ROUTE);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    finishedScheduledRuns(clean.agency().id(), 1) && finishedScheduledRuns(drifting.agency().id(), 1)
                            && finishedScheduledRuns(down.agency().id(), 1));
        } finally {
            camel.getRouteController().stopRoute(ROUTE);
        }

        Map<String, Object> cleanRun = scheduledRuns(clean.agency().id()).get(0);
        assertThat(cleanRun).containsEntry("status", "succeeded").containsEntry("discrepancies", 0);
        Map<String, Object> driftRun = scheduledRuns(drifting.agency().id()).get(0);
        assertThat(driftRun).containsEntry("status", "succeeded").containsEntry("discrepancies", 1);
        Map<String, Object> downRun = scheduledRuns(down.agency().id()).get(0);
        assertThat(downRun).containsEntry("status", "failed").containsEntry("mappings_failed", 1);
        assertThat(jdbc.queryForObject("select kind from reconciliation_log where run_id = ?", String.class, downRun.get("id")))
                .isEqualTo("channel_unreachable");

        // a run raises its alert (row and signed POST) right after it is marked finished: wait for both alerts
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from alerts where (run_id = ? and delivered_at is not null) or run_id = ?", Integer.class,
                driftRun.get("id"), downRun.get("id")) == 2);
        assertThat(jdbc.queryForObject("select count(*) from alerts where agency_id = ?", Integer.class, clean.agency().id())).isZero();
        Map<String, Object> alert = jdbc.queryForMap("select id, severity, kind, delivered_at, delivery_error from alerts where run_id = ?",
                driftRun.get("id"));
        assertThat(alert).containsEntry("severity", "warning").containsEntry("kind", "reconciliation.drift");
        assertThat(alert.get("delivered_at")).as("alert %s delivered", alert).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from alerts where run_id = ?", Integer.class, downRun.get("id"))).isEqualTo(1);

        List<LoggedRequest> posts = CHANNELS.findAll(postRequestedFor(urlPathEqualTo(ALERT_WEBHOOK)));
        LoggedRequest delivered = posts.stream()
                .filter(r -> r.getBodyAsString().contains("\"run_id\":" + driftRun.get("id") + ","))
                .findFirst().orElseThrow(() -> new AssertionError("no alert POST for run " + driftRun.get("id") + " in " + posts.size()));
        assertThat(delivered.getHeader("Content-Type")).startsWith("application/json");
        // Standard Webhooks: the receiver's check passes with the alert secret, and the signature covers the
        // webhook id and timestamp, so the captured alert replayed later (or under another id) is refused
        Function<String, String> headers = delivered::getHeader;
        assertThat(headers.apply("webhook-signature")).matches("v1,[A-Za-z0-9+/]+={0,2}");
        List<String> secret = List.of("whsec_dGVzdC1hbGVydC1zZWNyZXQ=");
        assertThat(receiver.verify(headers, delivered.getBody(), secret, Instant.now(), Duration.ofMinutes(5)).eventId())
                .isEqualTo(headers.apply("webhook-id"));
        assertThatThrownBy(() -> receiver.verify(headers, delivered.getBody(), secret, Instant.now().plus(Duration.ofMinutes(6)),
                Duration.ofMinutes(5))).as("the same alert replayed 6 minutes later").isInstanceOf(WebhookRejection.class);
        assertThatThrownBy(() -> receiver.verify(name -> name.equals("webhook-id") ? "another-id" : delivered.getHeader(name),
                delivered.getBody(), secret, Instant.now(), Duration.ofMinutes(5))).isInstanceOf(WebhookRejection.class);
        var summary = JSON.readTree(delivered.getBody());
        assertThat(summary.path("type").asText()).isEqualTo("alert");
        assertThat(summary.path("data").path("agency_id").asText()).isEqualTo(drifting.agency().id().toString());
        assertThat(summary.path("data").path("details").path("by_kind").path("missing_on_channel").asInt()).isEqualTo(1);
    }

    @Test
    void theScheduledJobNeverRunsTwiceAtOnce() throws Exception {
        Mapped slow = mapped();
        // each run of this agency takes 1.5 s while the trigger fires every second
        CHANNELS.stubFor(get(urlPathEqualTo("/airbnb/v2/reservations")).withQueryParam("host_id", equalTo(hostOf(slow)))
                .willReturn(okJson("{\"reservations\": [], \"paging\": {\"next_cursor\": null}}").withFixedDelay(1500)));

        // how many scheduled jobs run at once, as Quartz sees them: the advisory lock alone would keep
        // the runs of one agency apart, so the test watches the job executions themselves
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        JobListener watcher = new JobListenerSupport() {
            @Override
            public String getName() {
                return "never-twice-at-once-" + slow.listing();
            }

            @Override
            public void jobToBeExecuted(JobExecutionContext context) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
                running.decrementAndGet();
            }
        };
        camel.getRouteController().startRoute(ROUTE);
        Scheduler scheduler = ((QuartzEndpoint) camel.getRoute(ROUTE).getEndpoint()).getComponent().getScheduler();
        scheduler.getListenerManager().addJobListener(watcher);
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> finishedScheduledRuns(slow.agency().id(), 2));
        } finally {
            camel.getRouteController().stopRoute(ROUTE);
            scheduler.getListenerManager().removeJobListener(watcher.getName());
        }
        assertThat(mostAtOnce.get()).as("scheduled jobs running at once (fires every 1 s, a run takes 1.5 s)").isEqualTo(1);

        List<Map<String, Object>> runs = scheduledRuns(slow.agency().id());
        assertThat(runs).allSatisfy(r -> assertThat(r.get("finished_at")).as("run %s finished", r.get("id")).isNotNull());
        List<String> overlaps = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("finished_at");
            Timestamp start = (Timestamp) runs.get(i).get("started_at");
            if (start.before(previousEnd)) {
                overlaps.add(runs.get(i - 1).get("id") + " and " + runs.get(i).get("id"));
            }
        }
        assertThat(overlaps).as("runs that overlapped").isEmpty();
        QuartzEndpoint trigger = (QuartzEndpoint) camel.getRoute(ROUTE).getEndpoint();
        assertThat(trigger.isStateful()).as("a StatefulCamelJob (DisallowConcurrentExecution)").isTrue();
        assertThat(trigger.getCron()).isEqualTo("0/1 * * * * ?");
        assertThat(trigger.getTriggerParameters()).containsEntry("timeZone", "UTC");
    }

    @Test
    void theTriggerIsKeptInPostgresAndARestartSpanningItsFireTimeRunsTheMissedJobOnceAtStartUp() throws Exception {
        QuartzEndpoint endpoint = (QuartzEndpoint) camel.getRoute(ROUTE).getEndpoint();
        camel.getRouteController().startRoute(ROUTE);
        Trigger stored;
        Scheduler service = endpoint.getComponent().getScheduler();
        try {
            assertThat(service.getMetaData().getJobStoreClass()).isEqualTo(JobStoreTX.class);
            assertThat(service.getMetaData().isJobStoreClustered()).isTrue();
            stored = service.getTrigger(endpoint.getTriggerKey());
            assertThat(stored.getMisfireInstruction()).as("fire once now").isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);
            assertThat(jdbc.queryForMap("""
                    select t.trigger_type, t.misfire_instr, c.cron_expression, c.time_zone_id
                    from qrtz_triggers t join qrtz_cron_triggers c using (sched_name, trigger_name, trigger_group)
                    where t.sched_name = ? and t.trigger_name = ? and t.trigger_group = ?""",
                    service.getSchedulerName(), endpoint.getTriggerKey().getName(), endpoint.getTriggerKey().getGroup()))
                    .containsEntry("trigger_type", "CRON").containsEntry("misfire_instr", 1)
                    .containsEntry("cron_expression", "0/1 * * * * ?").containsEntry("time_zone_id", "UTC");
        } finally {
            camel.getRouteController().stopRoute(ROUTE);
        }

        // The restart: a scheduler of our own on the same tables, configured as the service's, holds
        // the production schedule (03:00 daily) with the route's misfire instruction. While it is
        // "down" (not started) the 03:00 of yesterday passes; started, it must run that job once now.
        Properties config = new Properties();
        config.putAll(endpoint.getComponent().getProperties());
        String name = "restart-check-" + UUID.randomUUID();
        config.setProperty("org.quartz.scheduler.instanceName", name);
        config.setProperty("org.quartz.threadPool.threadCount", "1");
        Scheduler restarted = new StdSchedulerFactory(config).getScheduler();
        MissedJob.RUNS.set(0);
        try {
            JobDetail job = JobBuilder.newJob(MissedJob.class).withIdentity("reconciliation", name).build();
            CronTriggerImpl daily = (CronTriggerImpl) TriggerBuilder.newTrigger().withIdentity("reconciliation", name)
                    .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?").inTimeZone(TimeZone.getTimeZone("UTC")))
                    .startAt(Date.from(Instant.now().minus(Duration.ofDays(2)))).build();
            daily.setMisfireInstruction(stored.getMisfireInstruction());
            restarted.scheduleJob(job, daily);
            long missed = jdbc.queryForObject("select next_fire_time from qrtz_triggers where sched_name = ?", Long.class, name);
            assertThat(Instant.ofEpochMilli(missed)).as("the 03:00 that passed while down").isBefore(Instant.now().minus(Duration.ofHours(12)));

            restarted.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> MissedJob.RUNS.get() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> MissedJob.RUNS.get() == 1);
            long next = jdbc.queryForObject("select next_fire_time from qrtz_triggers where sched_name = ?", Long.class, name);
            assertThat(Instant.ofEpochMilli(next)).as("then the next 03:00, not the missed ones").isAfter(Instant.now());
        } finally {
            restarted.clear();
            restarted.shutdown(true);
            jdbc.update("delete from qrtz_scheduler_state where sched_name = ?", name);
            jdbc.update("delete from qrtz_locks where sched_name = ?", name);
        }
    }

    /** Counts its runs: the missed daily job of the restart check. */
    public static class MissedJob implements Job {
        static final AtomicInteger RUNS = new AtomicInteger();

        @Override
        public void execute(JobExecutionContext context) {
            RUNS.incrementAndGet();
        }
    }
}
