package io.channelsync.db;

import io.channelsync.support.IntegrationTest;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaTest extends IntegrationTest {

    @Autowired
    SpringLiquibase liquibase;

    @Test
    void liquibaseCreatedEveryTableOfTheModel() {
        var tables = jdbc.queryForList(
                "select table_name from information_schema.tables where table_schema = 'public'", String.class);
        assertThat(tables).contains("agencies", "api_keys", "properties", "bookings", "availability",
                "channel_mappings", "sync_logs", "sync_attempts", "webhook_log", "deadletters",
                "reconciliation_runs", "reconciliation_log", "alerts");
    }

    @Test
    void newSyncJobStartsWithNoRetriesFiveAllowedAndNoDeadLetterTime() {
        UUID mapping = newMapping();
        Map<String, Object> job = jdbc.queryForMap("""
                insert into sync_logs (agency_id, mapping_id, operation, payload)
                select agency_id, id, 'push_availability', '{}'::jsonb from channel_mappings where id = ?
                returning status, retry_count, max_retries, deadletter_at""", mapping);
        assertThat(job).containsEntry("status", "pending")
                .containsEntry("retry_count", 0)
                .containsEntry("max_retries", 5);
        assertThat(job.get("deadletter_at")).isNull();
    }

    @Test
    void databaseRefusesAStatusOutsideTheStateMachine() {
        UUID mapping = newMapping();
        assertThatThrownBy(() -> jdbc.update("""
                insert into sync_logs (agency_id, mapping_id, operation, status)
                select agency_id, id, 'push_availability', 'done' from channel_mappings where id = ?""", mapping))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("sync_logs_status_check");
    }

    @Test
    void databaseTakesAnyWellFormedPlatformBecauseTheConnectorRegistryDecidesWhichExist() {
        // which platforms exist is the registered connectors' business (the API answers 422
        // unknown_platform: ChannelMappingApiTest); the schema only keeps the shape of a platform name
        var agency = data.agency();
        UUID property = data.property(agency.id());
        assertThat(jdbc.update("""
                insert into channel_mappings (agency_id, property_id, platform, listing_id) values (?, ?, 'expedia', ?)""",
                agency.id(), property, io.channelsync.support.TestData.uniqueListingId())).isEqualTo(1);
        for (String malformed : java.util.List.of("", "Airbnb", "booking com", "x".repeat(33))) {
            assertThatThrownBy(() -> jdbc.update("""
                    insert into channel_mappings (agency_id, property_id, platform, listing_id) values (?, ?, ?, '123')""",
                    agency.id(), property, malformed))
                    .as("platform '%s'", malformed)
                    .isInstanceOf(DataIntegrityViolationException.class)
                    .hasMessageContaining("channel_mappings_platform_check");
        }
        assertThatThrownBy(() -> jdbc.update("""
                insert into webhook_log (platform, status, error) values ('Not A Platform', 'rejected', 'test')"""))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("webhook_log_platform_check");
    }

    @Test
    void aSecondStartAppliesNothingNew() throws Exception {
        Integer before = jdbc.queryForObject("select count(*) from databasechangelog", Integer.class);
        assertThat(before).isGreaterThanOrEqualTo(8);
        liquibase.afterPropertiesSet(); // what start-up does: update against the same changelog
        assertThat(jdbc.queryForObject("select count(*) from databasechangelog", Integer.class)).isEqualTo(before);
        assertThat(jdbc.queryForList("select distinct filename from databasechangelog", String.class))
                .as("changesets are recorded by their path relative to the working directory, never an absolute one")
                .allSatisfy(file -> assertThat(file).startsWith("file:liquibase/changes/"));
    }

    private UUID newMapping() {
        var agency = data.agency();
        return data.airbnbMapping(agency.id(), data.property(agency.id()), io.channelsync.support.TestData.uniqueListingId());
    }
}
