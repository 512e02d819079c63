package io.channelsync.observability;

import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/health} component {@code queues}: how full each in-memory SEDA queue is. A queue
 * that is full is reported OUT_OF_SERVICE: new work still lands in the database and is picked up by
 * the recovery sweeps, but an operator should look. During start-up a queue may exist before it is
 * started (it has no queue yet): it is reported as {@code starting}, never as an error.
 */
@Component("queues")
public class QueueDepthHealthIndicator implements HealthIndicator {

    private final CamelContext camel;

    public QueueDepthHealthIndicator(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyFull = false;
        for (var endpoint : camel.getEndpoints()) {
            if (endpoint instanceof SedaEndpoint seda) {
                if (!seda.isStarted()) {
                    details.put(seda.getEndpointBaseUri().replace("seda://", ""), Map.of("state", "starting"));
                    continue;
                }
                int size = seda.getCurrentQueueSize();
                int capacity = seda.getSize();
                details.put(seda.getEndpointBaseUri().replace("seda://", ""),
                        Map.of("depth", size, "capacity", capacity, "consumers", seda.getConsumers().size()));
                anyFull |= capacity > 0 && capacity != Integer.MAX_VALUE && size >= capacity;
            }
        }
        return (anyFull ? Health.outOfService() : Health.up()).withDetails(details).build();
    }
}
