package io.channelsync.api;

import io.channelsync.webhook.WebhookHandlerMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * Camel's platform-http engine for Spring MVC, with each route run on the servlet container's request thread.
 * <p>
 * The starter's own engine hands every request to a task executor and returns a {@link CompletableFuture}, so
 * Spring MVC answers it on an async dispatch: the request passes the filters and the DispatcherServlet (with its
 * handler lookup) twice, and changes threads twice. That was a third of the webhook intake's samples in the
 * profile (issue 12). Here the route runs where the request arrived and the answer is written before
 * {@code service} returns; a {@code null} future tells Spring MVC the request is handled, so no async dispatch
 * follows. The consumer is the starter's own (suspension, binding, unit of work unchanged); only its executor
 * is the calling thread. The request threads are Tomcat's ({@code server.tomcat.threads.max}).
 * <p>
 * The webhook intake route's consumer is also handed to {@link WebhookHandlerMapping}, which finds it for a
 * delivery without Spring MVC's search through every route's mapping.
 */
@Configuration(proxyBeanMethods = false)
public class PlatformHttpOnRequestThread {

    /** Named as the starter's bean, which steps aside for it ({@code @ConditionalOnMissingBean}). */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port, WebhookHandlerMapping webhooks) {
        return new PlatformHttpEngine() {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                Consumer consumer = new Consumer(endpoint, processor);
                if (WebhookHandlerMapping.ROUTE_PATH.equals(endpoint.getPath())) {
                    webhooks.intake(new HandlerMethod(consumer, Consumer.SERVICE));
                }
                return consumer;
            }

            @Override
            public int getServerPort() {
                return port;
            }
        };
    }

    static final class Consumer extends SpringBootPlatformHttpConsumer {

        /** The servlet method Spring MVC calls on a consumer (as platform-http registers it). */
        static final Method SERVICE = ReflectionUtils.findMethod(SpringBootPlatformHttpConsumer.class, "service",
                HttpServletRequest.class, HttpServletResponse.class);

        Consumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run); // the starter's runAsync then runs on the calling thread
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            super.service(request, response).join(); // done already (and it never fails: errors become a 500 inside)
            return null; // the answer is written: Spring MVC takes null as handled, and dispatches nothing more
        }
    }
}
