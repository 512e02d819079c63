package io.channelsync.home;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the service's files are: {@code application.yaml}, {@code routes/} and {@code liquibase/}
 * sit in one folder, {@code CHANNEL_SYNC_HOME} (default: the working directory), so the jar runs
 * from any folder. {@link #locate} checks them before anything starts and fails with one line that
 * names what is missing and where it looked.
 */
public record ChannelSyncHome(Path dir) {

    public static final String ENV = "CHANNEL_SYNC_HOME";

    /** The home named by {@code CHANNEL_SYNC_HOME}, else {@code workingDir}; an IllegalStateException (one line) if incomplete. */
    public static ChannelSyncHome locate(Map<String, String> env, Path workingDir) {
        String named = env.get(ENV);
        Path dir = (named == null || named.isBlank() ? workingDir : workingDir.resolve(named.trim())).toAbsolutePath().normalize();
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(dir.resolve("application.yaml"))) {
            missing.add("application.yaml");
        }
        if (!Files.isDirectory(dir.resolve("routes"))) {
            missing.add("routes/");
        }
        if (!Files.isRegularFile(dir.resolve("liquibase/db.changelog-master.yaml"))) {
            missing.add("liquibase/db.changelog-master.yaml");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("channel-sync cannot start: " + String.join(", ", missing) + " not found in " + dir
                    + (named == null || named.isBlank() ? " (the working directory; set " + ENV + " to the folder that holds them)"
                    : " (" + ENV + ")"));
        }
        return new ChannelSyncHome(dir);
    }

    /**
     * Makes Spring read this home's application.yaml (Boot reads the working directory's by itself)
     * and resolve {@code ${CHANNEL_SYNC_HOME}} in it (routes, Liquibase) to this folder.
     */
    public void applyToSystemProperties(Path workingDir) {
        System.setProperty(ENV, dir.toString());
        if (!dir.equals(workingDir.toAbsolutePath().normalize()) && System.getProperty("spring.config.additional-location") == null) {
            System.setProperty("spring.config.additional-location", "optional:file:" + dir + "/");
        }
    }
}
