package io.channelsync.channel;

import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of channel connectors: every {@link ChannelConnector} bean, by platform. The one
 * place that knows which platforms exist; API validation, metrics, intake and sync ask it.
 * Two connectors for one platform, or a platform that is not a plain lower-case name, stop the start-up.
 */
@Component
public class Channels {

    private final Map<String, ChannelConnector> byPlatform = new TreeMap<>();

    public Channels(List<ChannelConnector> connectors) {
        for (ChannelConnector connector : connectors) {
            String platform = connector.platform();
            if (platform == null || !platform.matches("[a-z][a-z0-9_]{0,31}")) {
                throw new IllegalStateException(connector.getClass().getName() + ": platform '" + platform
                        + "' must be 1 to 32 lower-case letters, digits or '_', starting with a letter");
            }
            ChannelConnector other = byPlatform.putIfAbsent(platform, connector);
            if (other != null) {
                throw new IllegalStateException("two connectors for platform " + platform + ": "
                        + other.getClass().getName() + " and " + connector.getClass().getName());
            }
        }
    }

    /** Every registered platform, in alphabetical order. */
    public Set<String> platforms() {
        return Collections.unmodifiableSet(byPlatform.keySet());
    }

    public boolean has(String platform) {
        return platform != null && byPlatform.containsKey(platform);
    }

    public Optional<ChannelConnector> find(String platform) {
        return Optional.ofNullable(platform == null ? null : byPlatform.get(platform));
    }

    /** @throws IllegalArgumentException naming the registered platforms, for one that is not */
    public ChannelConnector get(String platform) {
        return find(platform).orElseThrow(() -> new IllegalArgumentException(
                "unknown channel platform '" + platform + "'; registered: " + String.join(", ", platforms())));
    }

    public List<ChannelConnector> all() {
        return List.copyOf(byPlatform.values());
    }
}
