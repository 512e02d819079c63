package io.channelsync.subscription;

import io.channelsync.api.ApiException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscription URLs on loopback, private or link-local networks are refused unless allowed (the tests' own setting allows them). */
class SubscriptionUrlsTest {

    private final SubscriptionUrls production = new SubscriptionUrls(false);

    @Test
    void urlsOnPrivateNetworksAreRefusedWith422() {
        for (String url : List.of("http://127.0.0.1:8080/hooks", "http://localhost/hooks", "https://10.1.2.3/hooks",
                "https://172.16.0.1/hooks", "https://192.168.1.10/hooks", "http://169.254.169.254/latest/meta-data",
                "https://100.64.0.1/hooks", "http://[::1]/hooks", "https://[fd00::1]/hooks", "https://[fe80::1]/hooks",
                "http://0.0.0.0/hooks", "https://[::ffff:10.0.0.1]/hooks")) {
            assertThatThrownBy(() -> production.validate(url)).as(url).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(422);
                assertThat(e.body()).containsEntry("field", "url").containsEntry("rule", "public_address");
                assertThat(e.getMessage()).contains("CHANNEL_SYNC_SUBSCRIPTIONS_ALLOW_PRIVATE_NETWORKS");
            });
        }
    }

    @Test
    void publicAddressesAreAcceptedAndPrivateOnesWhenAllowed() {
        assertThat(production.validate("https://93.184.216.34/hooks")).isEqualTo(URI.create("https://93.184.216.34/hooks"));
        assertThat(production.validate("https://[2606:4700:4700::1111]/hooks").getHost()).isEqualTo("[2606:4700:4700::1111]");
        assertThat(new SubscriptionUrls(true).validate("http://127.0.0.1:9000/hooks").getPort()).isEqualTo(9000);
        assertThat(production.refusal(URI.create("http://127.0.0.1/"))).isPresent();
        assertThat(new SubscriptionUrls(true).refusal(URI.create("http://127.0.0.1/"))).isEmpty();
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreAccepted() {
        for (String url : List.of("ftp://93.184.216.34/x", "/relative/path", "https://user:pw@93.184.216.34/x", "not a url")) {
            assertThatThrownBy(() -> new SubscriptionUrls(true).validate(url)).as(url).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.body()).containsEntry("field", "url").containsEntry("rule", "url"));
        }
    }
}
