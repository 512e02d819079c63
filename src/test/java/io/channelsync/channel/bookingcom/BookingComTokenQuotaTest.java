package io.channelsync.channel.bookingcom;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelProperties;
import io.channelsync.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token exchange against a real HTTP server (WireMock under /booking): a provider of its own with a clock the test
 * moves, so that using up its quota never touches the shared provider other tests use.
 */
class BookingComTokenQuotaTest extends IntegrationTest {

    static final String TOKEN = "/booking/token-based-authentication/exchange";

    @Autowired
    ChannelHttp http;

    @Autowired
    ObjectMapper json;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private BookingComTokenProvider provider(MovableClock clock) {
        ChannelProperties.BookingCom config = new ChannelProperties.BookingCom(CHANNELS.baseUrl() + "/booking",
                CHANNELS.baseUrl() + TOKEN, "machine-client", "machine-secret");
        return new BookingComTokenProvider(config, 30, http, json, clock);
    }

    @Test
    void theTokenIsExchangedWithClientIdAndSecretAndCachedUntilNearItsExpiry() throws IOException {
        CHANNELS.stubFor(post(TOKEN).willReturn(okJson("{\"jwt\": \"jwt-1\"}")));
        MovableClock clock = new MovableClock();
        BookingComTokenProvider tokens = provider(clock);

        assertThat(tokens.token()).isEqualTo("jwt-1");
        clock.now = clock.now.plus(Duration.ofMinutes(50));
        assertThat(tokens.token()).isEqualTo("jwt-1");
        CHANNELS.verify(1, postRequestedFor(urlEqualTo(TOKEN))
                .withRequestBody(equalToJson("{\"client_id\": \"machine-client\", \"client_secret\": \"machine-secret\"}")));

        clock.now = clock.now.plus(Duration.ofMinutes(6)); // within 5 minutes of the hour: renewed
        tokens.token();
        CHANNELS.verify(2, postRequestedFor(urlEqualTo(TOKEN)));
    }

    @Test
    void the31stExchangeInAnHourIsRefusedWithoutAnyCallAndAllowedAgainAnHourAfterTheFirst() throws IOException {
        CHANNELS.stubFor(post(TOKEN).willReturn(okJson("{\"jwt\": \"jwt\", \"expires_in\": 3600}")));
        MovableClock clock = new MovableClock();
        BookingComTokenProvider tokens = provider(clock);
        Instant first = clock.now;
        for (int i = 0; i < 30; i++) {
            tokens.invalidate(); // as after a 401
            tokens.token();
            clock.now = clock.now.plusSeconds(60);
        }
        CHANNELS.verify(30, postRequestedFor(urlEqualTo(TOKEN)));

        tokens.invalidate();
        assertThatThrownBy(tokens::token).isInstanceOf(IOException.class).hasMessageContaining("quota");
        CHANNELS.verify(30, postRequestedFor(urlEqualTo(TOKEN)));

        clock.now = first.plus(Duration.ofHours(1)).plusSeconds(1); // the first exchange left the rolling hour
        assertThat(tokens.token()).isEqualTo("jwt");
        CHANNELS.verify(31, postRequestedFor(urlEqualTo(TOKEN)));
    }
}
