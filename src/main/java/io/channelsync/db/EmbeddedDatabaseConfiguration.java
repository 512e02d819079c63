package io.channelsync.db;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no datasource URL configured, the service runs on its own embedded PostgreSQL; with
 * {@code SPRING_DATASOURCE_URL} set, this configuration stays out of the way and Boot's
 * DataSource auto-configuration connects to that server instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public class EmbeddedDatabaseConfiguration {

    @Bean
    EmbeddedPostgresServer embeddedPostgres(EmbeddedDatabaseProperties props) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(props.dataDir(), props.port(), props.wipeOnStart(),
                props.settings(), props.startupTimeout());
        server.createDatabaseIfMissing(props.database());
        return server;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server, EmbeddedDatabaseProperties props) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(server.jdbcUrl(props.database()))
                .username("postgres")
                .password(server.password())
                .build();
    }
}
