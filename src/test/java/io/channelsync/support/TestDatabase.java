package io.channelsync.support;

import java.net.URI;
import java.util.Optional;

/**
 * The PostgreSQL server named by {@code DATABASE_URL}, when set: either a JDBC URL
 * ({@code jdbc:postgresql://host:port/db?user=..}) or the usual {@code postgres://user:pass@host:port/db}.
 * Without it, tests use the embedded PostgreSQL.
 */
public record TestDatabase(String jdbcUrl, String username, String password) {

    public static Optional<TestDatabase> fromEnvironment() {
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        if (url.startsWith("jdbc:")) {
            return Optional.of(new TestDatabase(url, null, null));
        }
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo() == null ? new String[0] : uri.getUserInfo().split(":", 2);
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
        return Optional.of(new TestDatabase(jdbc,
                userInfo.length > 0 ? userInfo[0] : null,
                userInfo.length > 1 ? userInfo[1] : null));
    }
}
