package io.channelsync.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console is a static page (classpath {@code static/console/}) over the JSON API: Spring
 * MVC serves its files, and the page calls {@code /api/v1/**} with the key the user typed in. These two
 * mappings only make {@code /console} and {@code /console/} open {@code index.html}.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleWebConfig implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
