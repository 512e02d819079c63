package io.channelsync.home;

import io.channelsync.ChannelSyncApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 11 item 12: the service finds application.yaml, routes/ and liquibase/ through CHANNEL_SYNC_HOME, from any folder. */
class ChannelSyncHomeTest {

    /** The project folder: the real application.yaml, routes/ and liquibase/. */
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @TempDir
    Path elsewhere;

    @Test
    void homeDefaultsToTheWorkingDirectory() {
        assertThat(ChannelSyncHome.locate(Map.of(), PROJECT).dir()).isEqualTo(PROJECT);
    }

    @Test
    void channelSyncHomeIsFoundFromAnotherWorkingDirectoryAbsoluteOrRelative() {
        assertThat(ChannelSyncHome.locate(Map.of("CHANNEL_SYNC_HOME", PROJECT.toString()), elsewhere).dir()).isEqualTo(PROJECT);
        assertThat(ChannelSyncHome.locate(Map.of("CHANNEL_SYNC_HOME", elsewhere.relativize(PROJECT).toString()), elsewhere).dir())
                .isEqualTo(PROJECT);
    }

    @Test
    void aFolderWithoutTheFilesIsRefusedNamingWhatIsMissingAndWhereItLooked() {
        assertThatThrownBy(() -> ChannelSyncHome.locate(Map.of(), elsewhere))
                .hasMessage("channel-sync cannot start: application.yaml, routes/, liquibase/db.changelog-master.yaml not found in "
                        + elsewhere.toAbsolutePath().normalize() + " (the working directory; set CHANNEL_SYNC_HOME to the folder that holds them)");
    }

    @Test
    void liquibaseReadsTheHomesChangelogUnderItsRelativeName() throws Exception {
        Files.createDirectories(elsewhere.resolve("liquibase"));
        Files.writeString(elsewhere.resolve("liquibase/db.changelog-master.yaml"), "databaseChangeLog: []\n");
        var loader = new HomeLiquibaseResources.HomeResourceLoader(null, elsewhere);
        var changelog = loader.getResource("file:liquibase/db.changelog-master.yaml");
        assertThat(changelog.getFile().toPath()).isEqualTo(elsewhere.resolve("liquibase/db.changelog-master.yaml"));
        assertThat(changelog.exists()).isTrue();
        assertThat(loader.getResource("classpath:application-test.yaml").exists()).as("other locations as before").isTrue();
    }

    /** The real entry point, in a JVM of its own started in an empty folder: one line on stderr, exit code 2, at once. */
    @Test
    void theServiceStartedWithAnEmptyHomeStopsWithOneClearLine() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChannelSyncApplication.class.getName())
                .directory(elsewhere.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("exits within 30 s").isTrue();
        List<String> stderr = new ArrayList<>(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        stderr.removeIf(line -> line.contains("Sharing is only supported")); // the JVM's own class-data-sharing notice
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).containsExactly("channel-sync cannot start: application.yaml, routes/, liquibase/db.changelog-master.yaml not found in "
                + elsewhere.toRealPath() + " (the working directory; set CHANNEL_SYNC_HOME to the folder that holds them)");
    }
}
