package io.channelsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ChannelSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChannelSyncApplication.class, args);
    }
}
