package io.channelsync.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiException;
import io.channelsync.webhook.ChannelIntakePaths;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;


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
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

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
                        // platform-http answers on an async dispatch; the original request was already authorised
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // the channels' intake proves itself by signature; the event log beside it needs a key
                        .requestMatchers(ChannelIntakePaths::matches).permitAll()
                        .requestMatchers("/api/v1/**").authenticated()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasRole("OPERATOR")
                        .anyRequest().permitAll())
                .build();
    }
}
