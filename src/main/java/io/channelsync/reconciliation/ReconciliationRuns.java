package io.channelsync.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.observability.EventCounters;
import io.channelsync.subscription.EventTypes;
import io.channelsync.subscription.Events;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code reconciliation_runs} and {@code reconciliation_log}. */
@Component
public class ReconciliationRuns {

    private final NamedParameterJdbcTemplate sql;
    private final ObjectMapper json;
    private final Events events;

    private final EventCounters counters;

    public ReconciliationRuns(NamedParameterJdbcTemplate sql, ObjectMapper json, Events events, EventCounters counters) {
        this.counters = counters;
        this.sql = sql;
        this.json = json;
        this.events = events;
    }

    /** What the API shows of a run. */
    public record Run(long id, UUID agencyId, String trigger, String status, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt, Counts counts, String error) {
    }

    public record Counts(int pmsBookings, int channelBookings, int discrepancies, int mappingsFailed) {
    }

    public long start(UUID agencyId, String trigger) {
        return sql.queryForObject("insert into reconciliation_runs (agency_id, trigger) values (:agency, :trigger) returning id",
                new MapSqlParameterSource("agency", agencyId).addValue("trigger", trigger), Long.class);
    }

    public void finish(long runId, String status, Counts counts, String error) {
        sql.update("""
                update reconciliation_runs
                set status = :status, finished_at = clock_timestamp(), pms_bookings = :pms, channel_bookings = :channel,
                    discrepancies = :discrepancies, mappings_failed = :failed, error = :error
                where id = :id and status = 'running'""",
                new MapSqlParameterSource("id", runId).addValue("status", status).addValue("pms", counts.pmsBookings())
                        .addValue("channel", counts.channelBookings()).addValue("discrepancies", counts.discrepancies())
                        .addValue("failed", counts.mappingsFailed()).addValue("error", error));
    }

    /** Stores the finding and, in the same transaction, its {@code reconciliation.discrepancy} event. */
    @Transactional
    public void record(long runId, UUID agencyId, Discrepancy d) {
        long id = sql.queryForObject("""
                insert into reconciliation_log (run_id, agency_id, mapping_id, property_id, reservation_code, kind, severity, pms_value, channel_value)
                values (:run, :agency, :mapping, :property, :code, :kind, :severity, cast(:pms as jsonb), cast(:channel as jsonb))
                returning id""",
                new MapSqlParameterSource("run", runId).addValue("agency", agencyId).addValue("mapping", d.mappingId())
                        .addValue("property", d.propertyId()).addValue("code", d.reservationCode())
                        .addValue("kind", d.kind().name()).addValue("severity", d.kind().severity.name())
                        .addValue("pms", write(d.pmsValue())).addValue("channel", write(d.channelValue())), Long.class);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("discrepancy_id", id);
        data.put("run_id", runId);
        data.put("agency_id", agencyId);
        data.put("kind", d.kind().name());
        data.put("severity", d.kind().severity.name());
        data.put("mapping_id", d.mappingId());
        data.put("property_id", d.propertyId());
        data.put("reservation_code", d.reservationCode());
        data.put("pms_value", d.pmsValue());
        data.put("channel_value", d.channelValue());
        events.record(EventTypes.RECONCILIATION_DISCREPANCY, agencyId, data);
        counters.discrepancy(d.kind().name());
    }

    /** Number of findings of a run per kind. */
    public Map<String, Integer> countByKind(long runId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        sql.query("select kind, count(*) as n from reconciliation_log where run_id = :run group by kind order by kind",
                Map.of("run", runId), rs -> {
                    counts.put(rs.getString("kind"), rs.getInt("n"));
                });
        return counts;
    }

    /** A run the caller may see; an agency filter of null means every agency. */
    public Optional<Run> find(long id, UUID onlyAgency) {
        return sql.query("select * from reconciliation_runs where id = :id and (cast(:agency as uuid) is null or agency_id = :agency)",
                new MapSqlParameterSource("id", id).addValue("agency", onlyAgency), ReconciliationRuns::run).stream().findFirst();
    }

    /** Newest first. */
    public List<Run> list(UUID onlyAgency, int limit, int offset) {
        return sql.query("""
                select * from reconciliation_runs where (cast(:agency as uuid) is null or agency_id = :agency)
                order by id desc limit :limit offset :offset""",
                new MapSqlParameterSource("agency", onlyAgency).addValue("limit", limit).addValue("offset", offset),
                ReconciliationRuns::run);
    }

    public List<Map<String, Object>> discrepancies(long runId) {
        return sql.query("""
                select id, kind, severity, mapping_id, property_id, reservation_code, pms_value::text as pms_value,
                       channel_value::text as channel_value, detected_at
                from reconciliation_log where run_id = :run order by id""", Map.of("run", runId), (rs, i) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getLong("id"));
            row.put("kind", rs.getString("kind"));
            row.put("severity", rs.getString("severity"));
            row.put("mapping_id", rs.getObject("mapping_id"));
            row.put("property_id", rs.getObject("property_id"));
            row.put("reservation_code", rs.getString("reservation_code"));
            row.put("pms_value", read(rs.getString("pms_value")));
            row.put("channel_value", read(rs.getString("channel_value")));
            row.put("detected_at", rs.getObject("detected_at", OffsetDateTime.class));
            return row;
        });
    }

    private static Run run(ResultSet rs, int i) throws SQLException {
        return new Run(rs.getLong("id"), rs.getObject("agency_id", UUID.class), rs.getString("trigger"), rs.getString("status"),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                new Counts(rs.getInt("pms_bookings"), rs.getInt("channel_bookings"), rs.getInt("discrepancies"),
                        rs.getInt("mappings_failed")), rs.getString("error"));
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object read(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
