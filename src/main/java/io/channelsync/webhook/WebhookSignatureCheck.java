package io.channelsync.webhook;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the signature scheme configured for the exchange's platform
 * ({@code channel-sync.webhooks.<platform>.scheme}). An unknown scheme or a malformed secret stops
 * the start-up with a clear message; a platform without secrets refuses every webhook (logged).
 */
@Component("webhookSignatureCheck")
public class WebhookSignatureCheck implements Processor {

    private static final Logger log = LoggerFactory.getLogger(WebhookSignatureCheck.class);
    private final Map<String, SignatureVerifier> byPlatform = new HashMap<>();

    public WebhookSignatureCheck(WebhookProperties properties, List<SignatureVerifier> verifiers) {
        for (String platform : List.of("airbnb", "booking_com")) {
            WebhookProperties.Channel channel = properties.channel(platform);
            String scheme = channel.scheme() == null ? "" : channel.scheme();
            SignatureVerifier verifier = verifiers.stream().filter(v -> v.scheme().equals(scheme)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("channel-sync.webhooks." + platform.replace('_', '-')
                            + ".scheme is '" + scheme + "'; known schemes: " + verifiers.stream().map(SignatureVerifier::scheme).toList()));
            if (verifier instanceof StandardWebhooksVerifier) {
                channel.secrets().forEach(StandardWebhooksVerifier::key);
            }
            if (verifier.usesSecrets() && channel.secrets().isEmpty()) {
                log.warn("No webhook secrets configured for {}: every {} webhook will be refused with 401", platform, platform);
            }
            byPlatform.put(platform, verifier);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        byPlatform.get(exchange.getProperty(WebhookIntake.PLATFORM, String.class)).process(exchange);
    }
}
