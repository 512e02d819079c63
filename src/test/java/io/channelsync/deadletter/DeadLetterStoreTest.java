package io.channelsync.deadletter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.channelsync.sync.SyncTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadLetterStoreTest extends SyncTestSupport {

    @Test
    void aFailureInsideTheDeadLetterStoreIsLoggedAtErrorWithThePayloadAndTheJobStaysVisibleAsFailed() throws Exception {
        // the database refuses dead letters carrying this marker (a trigger only this test installs)
        String marker = "poison-" + System.nanoTime();
        jdbc.execute("""
                create or replace function test_refuse_poisoned_deadletter() returns trigger language plpgsql as $$
                begin
                  if new.exception_message like '%%poison-%%' then raise exception 'dead letter refused by test trigger'; end if;
                  return new;
                end $$""".replace("%%", "%"));
        jdbc.execute("create trigger test_refuse_poisoned_deadletter before insert on deadletters for each row execute function test_refuse_poisoned_deadletter()");
        Logger storeLog = (Logger) LoggerFactory.getLogger(DeadLetterStore.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        storeLog.addAppender(logged);
        try {
            Fixture f = airbnbFixture();
            CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(503).withBody(marker)));
            long job = trigger(f);
            jdbc.update("update sync_logs set max_retries = 1 where id = ?", job); // the row's budget wins

            awaitStatus(job, "failed", Duration.ofSeconds(10));
            assertThat(retryCount(job)).isLessThanOrEqualTo(1);
            assertThat(jdbc.queryForObject("select last_error from sync_logs where id = ?", String.class, job))
                    .contains("dead-letter store failed").contains(marker);
            assertThat(jdbc.queryForObject("select count(*) from deadletters where sync_log_id = ?", Integer.class, job)).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("DEAD LETTER NOT STORED") && e.getFormattedMessage().contains("sync job " + job)
                    && e.getFormattedMessage().contains(f.listing())));
        } finally {
            storeLog.detachAppender(logged);
            jdbc.execute("drop trigger if exists test_refuse_poisoned_deadletter on deadletters");
            jdbc.execute("drop function if exists test_refuse_poisoned_deadletter()");
        }
    }
}
