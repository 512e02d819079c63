package io.channelsync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.api.Rows;
import io.channelsync.channel.Channels;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/channels/health}: one item per channel, paged like every list: its {@code health}
 * ({@code healthy}, {@code degraded}, {@code down}, {@link ChannelBreakers#health}), its {@code circuit}
 * ({@code closed}, {@code open}, {@code half_open}), its held jobs, and the health of each connection that
 * made calls in the breaker's window (or has held jobs), judged the same way from its recorded attempts.
 * <p>
 * Tenancy: a channel's state is one for everyone, so agencies see every channel's {@code health} and
 * {@code circuit}; the numbers (calls, failed calls, held jobs) and the connections are their own only.
 * Operators see the whole channel's numbers and every connection.
 */
@Component("channelHealthResource")
public class ChannelHealthResource {

    private final ApiRequests requests;
    private final ApiResponses responses;
    private final ChannelBreakers breakers;
    private final Channels channels;
    private final NamedParameterJdbcTemplate sql;
    private final CircuitBreakerProperties config;
    private final ObjectMapper json;

    public ChannelHealthResource(ApiRequests requests, ApiResponses responses, ChannelBreakers breakers, Channels channels,
                                 NamedParameterJdbcTemplate sql, CircuitBreakerProperties config, ObjectMapper json) {
        this.requests = requests;
        this.responses = responses;
        this.breakers = breakers;
        this.channels = channels;
        this.sql = sql;
        this.config = config;
        this.json = json;
    }

    public void health(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        UUID agency = caller.operator() ? null : caller.agencyId();
        List<String> platforms = channels.platforms().stream().sorted().skip(page.offset()).limit(page.limit() + 1L).toList();
        List<Map<String, Object>> connections = connections(agency);
        List<Map<String, Object>> items = new ArrayList<>();
        for (String platform : platforms) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("platform", platform);
            item.put("health", breakers.health(platform).name());
            List<Map<String, Object>> mine = connections.stream().filter(c -> platform.equals(c.get("platform"))).toList();
            if (caller.operator()) {
                item.putAll(breakers.circuit(platform));
                item.put("failure_rate", ChannelBreakers.rate(((Number) item.get("calls")).longValue(),
                        ((Number) item.get("failed_calls")).longValue()));
            } else {
                item.put("circuit", breakers.circuit(platform).get("circuit"));
                long calls = mine.stream().mapToLong(c -> ((Number) c.get("calls")).longValue()).sum();
                long failed = mine.stream().mapToLong(c -> ((Number) c.get("failed_calls")).longValue()).sum();
                item.put("calls", calls);
                item.put("failed_calls", failed);
                item.put("failure_rate", ChannelBreakers.rate(calls, failed));
            }
            item.put("held_jobs", mine.stream().mapToLong(c -> ((Number) c.get("held_jobs")).longValue()).sum());
            item.put("connections", mine.stream().filter(c -> c.get("connection_id") != null)
                    .map(c -> connection(c, item.get("health"))).toList());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>(page.of(items));
        body.put("window_seconds", config.window().toSeconds());
        responses.reply(exchange, 200, body);
    }

    /** A connection's entry: down with its channel, else judged from its own calls in the window. */
    private Map<String, Object> connection(Map<String, Object> row, Object channelHealth) {
        long calls = ((Number) row.get("calls")).longValue();
        long failed = ((Number) row.get("failed_calls")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection_id", row.get("connection_id"));
        out.put("agency_id", row.get("agency_id"));
        out.put("health", ChannelBreakers.Health.down.name().equals(channelHealth) ? channelHealth : breakers.judge(calls, failed).name());
        out.put("calls", calls);
        out.put("failed_calls", failed);
        out.put("failure_rate", ChannelBreakers.rate(calls, failed));
        out.put("held_jobs", row.get("held_jobs"));
        return out;
    }

    /**
     * Per connection (null: mappings made before connections): its attempts finished within the window (a held
     * attempt made no call) and its held jobs; only connections with either.
     */
    private List<Map<String, Object>> connections(UUID agency) {
        return sql.query("""
                select m.connection_id, m.agency_id, m.platform,
                       sum(x.calls) as calls, sum(x.failed) as failed_calls, sum(x.held) as held_jobs
                from (select a.sync_log_id as job,
                             cast(a.outcome in ('succeeded', 'transient_failure', 'permanent_failure') as int) as calls,
                             cast(a.outcome = 'transient_failure' as int) as failed, 0 as held
                      from sync_attempts a where a.finished_at > now() - make_interval(secs => :window)
                      union all
                      select s.id, 0, 0, 1 from sync_logs s where s.status = 'held') x
                join sync_logs s on s.id = x.job
                join channel_mappings m on m.id = s.mapping_id
                where cast(:agency as uuid) is null or s.agency_id = :agency
                group by m.connection_id, m.agency_id, m.platform
                order by m.platform, m.connection_id""",
                new MapSqlParameterSource("window", config.window().toSeconds()).addValue("agency", agency), Rows.json(json));
    }
}
