package io.channelsync.instance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * This process's heartbeat ({@code channel-sync.instances}).
 *
 * @param heartbeatInterval how often the instance writes {@code instances.heartbeat_at}
 *                          ({@code CHANNEL_SYNC_INSTANCES_HEARTBEAT_INTERVAL}); an instance that missed two
 *                          heartbeats is dead and its work is taken back by the recovery sweeps, which run
 *                          as often
 */
@ConfigurationProperties("channel-sync.instances")
public record InstanceProperties(@DefaultValue("5s") Duration heartbeatInterval) {

    public InstanceProperties {
        if (heartbeatInterval == null || heartbeatInterval.toMillis() < 100) {
            throw new IllegalArgumentException("channel-sync.instances.heartbeat-interval must be at least 100ms");
        }
    }

    /** Two missed heartbeats: after this without a heartbeat an instance is dead. */
    public Duration deadAfter() {
        return heartbeatInterval.multipliedBy(2);
    }
}
