package io.channelsync.webhook;

import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the signature scheme configured for the exchange's platform. Each registered connector that
 * takes inbound events has one block, {@code channel-sync.webhooks.<configKey>} ({@code scheme},
 * {@code secrets}), bound here at start-up. An unknown scheme or a malformed secret stops the
 * start-up with a clear message; a platform without secrets refuses every webhook (logged).
 */
@Component("webhookSignatureCheck")
public class WebhookSignatureCheck implements Processor {

    static final String PREFIX = "channel-sync.webhooks.";
    /** Keys of {@link WebhookProperties} itself: no channel's block may take one of them. */
    private static final Set<String> RESERVED_KEYS = Set.of("tolerance", "max-body-bytes", "db-timeout", "queue-size",
            "consumers", "commit", "recovery", "retry");
    private static final Logger log = LoggerFactory.getLogger(WebhookSignatureCheck.class);

    private record Scheme(SignatureVerifier verifier, WebhookProperties.Channel settings) {
    }

    private final Map<String, Scheme> byPlatform = new HashMap<>();

    public WebhookSignatureCheck(Channels channels, Environment environment, List<SignatureVerifier> verifiers) {
        Binder binder = Binder.get(environment);
        for (ChannelConnector connector : channels.all()) {
            if (connector.inbound().isEmpty()) {
                continue;
            }
            String platform = connector.platform();
            String block = PREFIX + connector.configKey();
            if (RESERVED_KEYS.contains(connector.configKey())) {
                throw new IllegalStateException("platform " + platform + ": " + block + " is a webhook setting, not a channel's block");
            }
            WebhookProperties.Channel settings = binder.bind(block, WebhookProperties.Channel.class)
                    .orElseGet(() -> new WebhookProperties.Channel(null, null));
            String scheme = settings.scheme() == null ? "" : settings.scheme();
            SignatureVerifier verifier = verifiers.stream().filter(v -> v.scheme().equals(scheme)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(block + ".scheme is '" + scheme + "'; known schemes: "
                            + verifiers.stream().map(SignatureVerifier::scheme).toList()));
            if (verifier instanceof StandardWebhooksVerifier) {
                settings.secrets().forEach(StandardWebhooksVerifier::key);
            }
            if (verifier.usesSecrets() && settings.secrets().isEmpty()) {
                log.warn("No webhook secrets configured for {} ({}.secrets): every {} webhook will be refused with 401",
                        platform, block, platform);
            }
            byPlatform.put(platform, new Scheme(verifier, settings));
        }
    }

    @Override
    public void process(Exchange exchange) {
        Scheme scheme = byPlatform.get(exchange.getProperty(WebhookIntake.PLATFORM, String.class));
        scheme.verifier().check(exchange, scheme.settings());
    }
}
