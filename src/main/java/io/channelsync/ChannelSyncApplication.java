package io.channelsync;

import io.channelsync.home.ChannelSyncHome;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.nio.file.Path;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ChannelSyncApplication {

    public static void main(String[] args) {
        Path workingDir = Path.of("").toAbsolutePath();
        try {
            ChannelSyncHome.locate(System.getenv(), workingDir).applyToSystemProperties(workingDir);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage()); // one line, before any logging starts: what is missing and where
            System.exit(2);
        }
        SpringApplication.run(ChannelSyncApplication.class, args);
    }
}
