package io.channelsync.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of the local channel sandbox: what it was sent (bounded, newest last), and the faults
 * it has been told to inject. Only exists in the {@code sandbox} profile, so it can never answer
 * for a real channel in production.
 */
@Component
@Profile("sandbox")
public class ChannelSandbox {

    private static final Logger log = LoggerFactory.getLogger(ChannelSandbox.class);
    private static final int KEPT_REQUESTS = 1000;

    /** One call the sandbox received. */
    public record Recorded(long seq, Instant at, String channel, String method, String path, String key,
                           int answeredStatus, String body) {
    }

    /**
     * Faults to inject: a share of calls answered 503, latency added to every call, a fixed status
     * for one listing/hotel, and an outage (every call 503) until a time.
     */
    public record Faults(double errorRate, long latencyMs, Map<String, Integer> statusByKey, Instant outageUntil) {
        public Faults {
            statusByKey = statusByKey == null ? Map.of() : Map.copyOf(statusByKey);
        }

        static Faults none() {
            return new Faults(0, 0, Map.of(), null);
        }
    }

    private final Deque<Recorded> requests = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Faults faults = Faults.none();
    /** What each channel's part of the sandbox forgets on {@link #clear()} (its reservations, hosts, queues). */
    private final List<Runnable> onClear = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ChannelSandbox() {
        log.warn("Channel SANDBOX active: Airbnb and Booking.com are simulated under /sandbox/**; nothing reaches a real channel");
    }

    public Faults faults() {
        return faults;
    }

    public void setFaults(Faults faults) {
        this.faults = faults == null ? Faults.none() : faults;
        log.info("Sandbox faults now {}", this.faults);
    }

    /**
     * Decides how the sandbox answers a call for that listing or hotel key: the injected status if
     * a fault applies, else the given success status; waits the configured latency first.
     */
    public int answerFor(String key, int successStatus) {
        Faults current = faults;
        if (current.latencyMs() > 0) {
            try {
                Thread.sleep(current.latencyMs()); // simulated channel latency, on the sandbox's own request thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current.outageUntil() != null && Instant.now().isBefore(current.outageUntil())) {
            return 503;
        }
        Integer fixed = key == null ? null : current.statusByKey().get(key);
        if (fixed != null) {
            return fixed;
        }
        if (current.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < current.errorRate()) {
            return 503;
        }
        return successStatus;
    }

    public void record(String channel, String method, String path, String key, int status, String body) {
        Recorded recorded = new Recorded(sequence.incrementAndGet(), Instant.now(), channel, method, path, key, status, body);
        synchronized (requests) {
            requests.addLast(recorded);
            while (requests.size() > KEPT_REQUESTS) {
                requests.removeFirst();
            }
        }
        log.info("Sandbox {} {} {} -> {}", channel, method, path, status);
    }

    public List<Recorded> requests(Optional<String> channel, long afterSeq) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> channel.map(c -> c.equals(r.channel())).orElse(true))
                    .filter(r -> r.seq() > afterSeq)
                    .toList();
        }
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
        }
        onClear.forEach(Runnable::run);
        faults = Faults.none();
    }

    /** A channel's part of the sandbox asks to forget its own state with everything else. */
    public void onClear(Runnable forget) {
        onClear.add(forget);
    }

}
