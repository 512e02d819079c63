package io.channelsync.home;

import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

/**
 * Liquibase reads its changelog from {@code CHANNEL_SYNC_HOME}, whatever the working directory.
 * The changelog keeps its relative name ({@code file:liquibase/db.changelog-master.yaml}) because
 * Liquibase records every changeset under that name: an absolute path would make a database set
 * up from one folder look new from another and apply everything again. So the name stays, and
 * this loader resolves relative {@code file:} names against the home instead of the working directory.
 */
@Component
public class HomeLiquibaseResources implements BeanPostProcessor {

    private final Path home;

    public HomeLiquibaseResources(Environment environment) {
        this.home = Path.of(environment.getProperty(ChannelSyncHome.ENV, ".")).toAbsolutePath().normalize();
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase liquibase) {
            liquibase.setResourceLoader(new HomeResourceLoader(liquibase.getResourceLoader(), home));
        }
        return bean;
    }

    /** Relative {@code file:} locations against the home; everything else as the context resolves it. */
    static final class HomeResourceLoader extends DefaultResourceLoader {
        private final ResourceLoader context;
        private final Path home;

        HomeResourceLoader(ResourceLoader context, Path home) {
            super(context == null ? null : context.getClassLoader());
            this.context = context == null ? new DefaultResourceLoader() : context;
            this.home = home;
        }

        @Override
        public Resource getResource(String location) {
            if (location.startsWith("file:") && !location.startsWith("file:/")) {
                return new FileSystemResource(home.resolve(location.substring("file:".length())));
            }
            return context.getResource(location);
        }
    }
}
