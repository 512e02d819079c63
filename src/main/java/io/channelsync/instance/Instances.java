package io.channelsync.instance;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * This process as a row of {@code instances}: registered at start-up (before any route runs), a
 * heartbeat every {@code channel-sync.instances.heartbeat-interval} (route {@code instance-heartbeat}),
 * {@code stopped_at} on a clean shutdown. Work in flight carries this instance's {@link #id()} as its
 * {@code owner}; the recovery sweeps take back only the work of instances that are not {@link #LIVE live}.
 * <p>
 * At start-up, earlier runs on this host whose process is gone (a {@code kill -9}, a crash) are marked
 * stopped at once, so their work is taken back by the first sweep instead of two heartbeats later.
 * All times are the database's clock, so the hosts' clocks need not agree.
 */
@Component("instances")
public class Instances {

    /**
     * SQL condition "this instance ({@code :me}) or a live one owns the row", over a column named
     * {@code owner}, with the parameters of {@link #liveParameters()}. A sweep may take back only rows
     * where it is false: no owner, or a dead one. This instance never takes its own rows: they are in
     * its memory queue even if its heartbeat was late.
     */
    public static final String LIVE = """
            (owner is not null and (owner = :me or exists (select 1 from instances i where i.id = owner and %s)))"""
            .formatted(Instances.ALIVE);

    /**
     * SQL array of the ids of the instances that are not live (stopped, or two heartbeats late), this one
     * excepted, with the parameters of {@link #liveParameters()}: the owners whose rows a sweep looks up by owner.
     * An instance is forgotten only once it holds no waiting webhook row ({@link #forgetSilentInstances}).
     */
    public static final String NOT_LIVE_IDS = """
            array(select i.id from instances i where i.id <> :me and not (%s))""".formatted(Instances.ALIVE);

    private static final String ALIVE = "i.stopped_at is null and i.heartbeat_at > now() - make_interval(secs => :deadAfterMs / 1000.0)";

    private static final Logger log = LoggerFactory.getLogger(Instances.class);

    private final UUID id = UUID.randomUUID();
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final NamedParameterJdbcTemplate sql;
    private final InstanceProperties properties;

    public Instances(NamedParameterJdbcTemplate sql, InstanceProperties properties) {
        this.sql = sql;
        this.properties = properties;
    }

    /** This process's id: the {@code owner} of the work it holds. */
    public UUID id() {
        return id;
    }

    /** The parameters {@link #LIVE} needs, to add to a sweep's own. */
    public MapSqlParameterSource liveParameters() {
        return new MapSqlParameterSource("me", id).addValue("deadAfterMs", properties.deadAfter().toMillis());
    }

    @PostConstruct
    void register() {
        sql.update("insert into instances (id, host, pid) values (:id, :host, :pid)",
                new MapSqlParameterSource("id", id).addValue("host", host).addValue("pid", pid));
        log.info("Instance {} (host {}, pid {}) registered; heartbeat every {}", id, host, pid, properties.heartbeatInterval());
        stopEarlierRunsOnThisHost();
        forgetSilentInstances();
    }

    /**
     * One row per start: forgets the instances silent for a week, once no waiting webhook row names them (the
     * recovery sweep finds a dead owner's rows by its id, {@link #NOT_LIVE_IDS}; elsewhere, and for a row whose
     * owner was deleted by hand once its lease ran out, work of an unknown owner counts as dead).
     *
     * @return how many were forgotten
     */
    int forgetSilentInstances() {
        return sql.update("""
                delete from instances i where i.heartbeat_at < now() - interval '7 days'
                   and not exists (select 1 from webhook_log w where w.owner = i.id and w.status in ('received', 'queued'))""",
                new MapSqlParameterSource());
    }

    /** Marks stopped the earlier runs on this host whose process is gone; @return their ids */
    List<UUID> stopEarlierRunsOnThisHost() {
        // an earlier run here is gone when its pid no longer runs, or is ours now (a container restarts as pid 1)
        List<UUID> gone = sql.query("select id, pid from instances where host = :host and id <> :id and stopped_at is null",
                        new MapSqlParameterSource("host", host).addValue("id", id), (rs, n) -> {
                            long earlier = rs.getLong("pid");
                            return earlier == pid || ProcessHandle.of(earlier).isEmpty() ? (UUID) rs.getObject("id") : null;
                        }).stream().filter(Objects::nonNull).toList();
        if (!gone.isEmpty()) {
            sql.update("update instances set stopped_at = now() where id in (:ids) and stopped_at is null",
                    new MapSqlParameterSource("ids", gone));
            log.warn("Earlier run(s) {} on host {} are gone (their process no longer runs): their work is taken back now", gone, host);
        }
        return gone;
    }

    /** This host's name, as written to {@code instances.host}. */
    public String host() {
        return host;
    }

    /** The heartbeat; re-registers if the row vanished (pruned by hand), so a live instance always shows. */
    public void beat() {
        int updated = sql.update("update instances set heartbeat_at = now() where id = :id",
                new MapSqlParameterSource("id", id));
        if (updated == 0) {
            register();
        }
    }

    /** A clean shutdown: whatever this process still held is taken back by the others at their next sweep. */
    @PreDestroy
    void stop() {
        try {
            sql.update("update instances set stopped_at = now() where id = :id", new MapSqlParameterSource("id", id));
            log.info("Instance {} stopped", id);
        } catch (RuntimeException e) {
            log.warn("Instance {} could not record its stop ({}); it counts as dead after two missed heartbeats", id, e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
