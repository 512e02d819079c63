package io.channelsync.api;

import io.channelsync.support.IntegrationTest;
import io.channelsync.webhook.WebhookHandlerMapping;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExecutionChain;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform-http route runs on the servlet container's request thread, and the request is answered without an
 * async dispatch (the starter's own engine ran it on a task pool and answered through a second dispatch).
 */
class PlatformHttpOnRequestThreadTest extends IntegrationTest {

    @Autowired
    DispatcherServlet dispatcher;

    @Test
    void aWebhookDeliveryIsHandedStraightToTheIntakeRoutesConsumer() throws Exception {
        api.get("/api/v1/me", OPERATOR_KEY); // the DispatcherServlet initialises on its first request
        HandlerExecutionChain chain = dispatcher.getHandlerMappings().get(0).getHandler(new MockHttpServletRequest("POST", "/api/v1/webhooks/airbnb"));
        assertThat(dispatcher.getHandlerMappings().get(0)).isInstanceOf(WebhookHandlerMapping.class);
        assertThat(chain).isNotNull();
        assertThat(((HandlerMethod) chain.getHandler()).getBean()).isSameAs(((PlatformHttpConsumerAware) camel.getRoute("webhook-receive").getConsumer()).getPlatformHttpConsumer());
        for (MockHttpServletRequest other : java.util.List.of(new MockHttpServletRequest("GET", "/api/v1/webhooks/airbnb"),
                new MockHttpServletRequest("POST", "/api/v1/webhooks/booking_com/token"), new MockHttpServletRequest("POST", "/api/v1/properties"))) {
            assertThat(dispatcher.getHandlerMappings().get(0).getHandler(other)).as("%s %s", other.getMethod(), other.getRequestURI()).isNull();
        }
    }

    @Test
    void aRouteRunsOnTheRequestThreadAndTheRequestIsNotDispatchedAgain() throws Exception {
        String routeId = "test-request-thread";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/v1/test-request-thread?httpMethodRestrict=GET").routeId(routeId)
                        .process(exchange -> {
                            HttpServletRequest request = exchange.getIn(PlatformHttpMessage.class).getRequest();
                            exchange.getMessage().setBody(Thread.currentThread().getName() + " async=" + request.isAsyncStarted());
                        });
            }
        });
        try {
            HttpResponse<String> answer = api.get("/api/v1/test-request-thread", OPERATOR_KEY);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).startsWith("http-nio-").endsWith(" async=false");
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }
}
