package io.channelsync.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.channelsync.ChannelSyncApplication;
import io.channelsync.sync.ChannelBreakers;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Base of every integration test: the whole service (real Camel routes from routes/, real HTTP on a
 * random port, real PostgreSQL: the embedded one, or the server DATABASE_URL names) and one
 * WireMock server standing in for the channels' APIs.
 * <p>
 * Keep the configuration here and only here: every subclass then shares one cached Spring context,
 * so background routes of one context never race the tests of another. Tests isolate their data by
 * creating their own agency through {@link TestData}, not by truncating tables.
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false) // tests read /actuator/prometheus, which Boot tests turn off by default
@DisableJmx(false) // integration engineers control routes over JMX; the tests do too
// The root application.yaml outranks any application-test.yaml on the classpath; an additional
// location outranks it, so the test settings really apply.
@SpringBootTest(classes = ChannelSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.additional-location=classpath:/application-test.yaml")
@ActiveProfiles({"test", "sandbox"}) // the sandbox answers under /sandbox/**; channel base URLs still point at WireMock
public abstract class IntegrationTest {

    /** The channel APIs (Airbnb under /airbnb, Booking.com under /booking), one per test JVM. */
    protected static final WireMockServer CHANNELS = startChannels();

    public static final String OPERATOR_KEY = "test-operator-key";

    /** The operator alert webhook (channel-sync.alerts.webhook-url): on WireMock, apart from the channels' paths. */
    public static final String ALERT_WEBHOOK = "/alerts/test-alert-webhook";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected TestData data;

    @Autowired
    private ChannelBreakers breakers;

    protected ApiClient api;

    @DynamicPropertySource
    static void testProperties(DynamicPropertyRegistry registry) {
        registry.add("channel-sync.channels.airbnb.base-url", () -> CHANNELS.baseUrl() + "/airbnb");
        registry.add("channel-sync.channels.booking-com.base-url", () -> CHANNELS.baseUrl() + "/booking");
        registry.add("channel-sync.alerts.webhook-url", () -> CHANNELS.baseUrl() + ALERT_WEBHOOK);
        TestDatabase.fromEnvironment().ifPresent(db -> {
            registry.add("spring.datasource.url", db::jdbcUrl);
            registry.add("spring.datasource.username", db::username);
            registry.add("spring.datasource.password", db::password);
        });
    }

    @BeforeEach
    void resetChannelsAndClient() {
        CHANNELS.resetAll();
        // the channels' circuit breakers count calls across tests (one context): each test starts with them closed
        breakers.reset();
        // alerts are delivered in the background (subscription kind alerts): the webhook takes them unless a test says otherwise
        CHANNELS.stubFor(post(urlPathEqualTo(ALERT_WEBHOOK)).willReturn(aResponse().withStatus(204)));
        api = new ApiClient("http://127.0.0.1:" + port);
    }

    private static WireMockServer startChannels() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "wiremock-stop"));
        return server;
    }
}
