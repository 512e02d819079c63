package io.channelsync.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.webhook.ChannelIntakePaths;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import java.io.IOException;
import java.util.List;

/**
 * Every {@code /api/v1/**} endpoint needs a bearer API key, except the channel webhooks, which
 * prove themselves with their signatures ({@link ChannelIntakePaths}; the event log under the same
 * prefix needs a key). The actuator needs an operator key (Prometheus sends it as its bearer token),
 * except {@code /actuator/health}, which answers its status to anyone and its details only to an
 * operator ({@code management.endpoint.health.show-details: when-authorized}).
 * Stateless: no sessions, no CSRF (no cookies are used). The operator console's files under
 * {@code /console/**} are public (they hold no data); every call the page makes goes to the API with
 * the key, kept in the tab's sessionStorage. A strict Content-Security-Policy on the console (its own
 * scripts and styles only, API calls to this origin only) keeps injected script from reading that key.
 * <p>
 * The rules match paths with {@link PathPatternRequestMatcher}: plain path patterns, not Spring MVC's
 * handler introspection per request (a third of the intake's request handling in the profile, issue 12).
 * Camel routes run on the request thread ({@link io.channelsync.api.PlatformHttpOnRequestThread}): no async
 * dispatch follows, and should one, it does not run this chain ({@code spring.security.filter.dispatcher-types}
 * in application.yaml leaves ASYNC out).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Spring Security's strict firewall with its own rule for header names and values (every code point assigned
     * and no control character; a tab allowed in values), checked by a loop instead of its regular expression:
     * each header read through the firewalled request ran that regex, the intake's top frame in the profile.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(name -> assignedAndNoControl(name, false));
        firewall.setAllowedHeaderValues(value -> assignedAndNoControl(value, true));
        return firewall;
    }

    /** {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (with {@code ||\t} when a tab is allowed), as StrictHttpFirewall's default. */
    static boolean assignedAndNoControl(String s, boolean tab) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean printableAscii = c >= 0x20 && c < 0x7f;
            if (!printableAscii && !(tab && c == '\t') && (!Character.isDefined(c) || Character.isISOControl(c))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * A channel's webhook delivery proves itself by its signature, so Spring Security has nothing to decide there, and
     * those requests skip its filter chain altogether (the CNS token endpoint keeps it: its answers need the chain's
     * {@code Cache-Control: no-store}, which Camel's header filter does not let through). Not by
     * {@code web.ignoring()}: Spring Security puts Spring MVC's handler lookup (the HandlerMappingIntrospector cache
     * filter) in front of every chain, ignored or not, and that lookup was a quarter of the intake's request handling
     * in the profile (issue 12). Every other path, the event log beside the intake included, goes through the chain.
     */
    @Bean
    static BeanPostProcessor channelIntakeSkipsTheSecurityChain() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof FilterChainProxy chain && AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME.equals(name)
                        ? new ChannelIntakeSkipsTheChain(chain) : bean;
            }
        };
    }

    /** Spring Security's filter chain proxy, but for the channels' webhook deliveries, which go straight on. */
    static final class ChannelIntakeSkipsTheChain extends FilterChainProxy {
        private final FilterChainProxy security;

        ChannelIntakeSkipsTheChain(FilterChainProxy security) {
            super(security.getFilterChains());
            this.security = security;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            if (request instanceof HttpServletRequest http && ChannelIntakePaths.isWebhook(http)) {
                chain.doFilter(request, response);
            } else {
                security.doFilter(request, response, chain);
            }
        }

        @Override
        public List<SecurityFilterChain> getFilterChains() {
            return security.getFilterChains();
        }

        @Override
        public List<Filter> getFilters(String url) {
            return security.getFilters(url);
        }
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyAuthenticationProvider provider,
                                    SecurityProperties properties, ObjectMapper json) throws Exception {
        if (properties.operatorKeys().isEmpty()) {
            log.warn("No operator keys configured (CHANNEL_SYNC_SECURITY_OPERATOR_KEYS): only agency keys can call the API");
        }
        AuthenticationEntryPoint unauthorized = (request, response, e) ->
                new ApiException(HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                        "a valid API key is required: Authorization: Bearer <key>", null).writeTo(response, json);

        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(provider), request -> {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null; // no key: the authorization rules below answer 401
            }
            return new BearerKeyAuthentication(header.substring(7).trim());
        });
        // only the API's and the actuator's keys are ours to check: a bearer token on any other path
        // (the sandbox's Booking.com JWT, say) is not an API key and must not be judged as one
        bearer.setRequestMatcher(request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return (path.startsWith("/api/v1/") && !ChannelIntakePaths.matches(request)) || path.startsWith("/actuator/");
        });
        bearer.setSuccessHandler((request, response, authentication) ->
                request.setAttribute(Caller.REQUEST_ATTRIBUTE, authentication.getPrincipal()));
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));

        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        return http
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        request -> request.getRequestURI().startsWith(request.getContextPath() + "/console"),
                        new StaticHeadersWriter("Content-Security-Policy", CONSOLE_CSP))))
                .addFilterBefore(bearer, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((request, response, denied) ->
                                ApiException.forbidden("this key may not do that").writeTo(response, json)))
                .authorizeHttpRequests(auth -> auth
                        // an error page (and an async pass, should ASYNC be dispatched to the chain again) belongs to a
                        // request already authorised
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // the channels' intake proves itself by signature or client credentials (webhook deliveries do
                        // not even reach this chain: channelIntakeSkipsTheSecurityChain); the event log beside it needs a key
                        .requestMatchers(ChannelIntakePaths::matches).permitAll()
                        .requestMatchers(path.matcher("/api/v1/**")).authenticated()
                        .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**")).permitAll()
                        .requestMatchers(path.matcher("/actuator"), path.matcher("/actuator/**")).hasRole("OPERATOR")
                        .anyRequest().permitAll())
                .build();
    }
}
