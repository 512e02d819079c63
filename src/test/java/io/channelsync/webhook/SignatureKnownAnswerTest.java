package io.channelsync.webhook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both signature schemes against vectors computed independently with openssl
 * (signature-vectors.properties and the body files beside it; the commands are in the file).
 * The bodies are non-ASCII: the signature holds only over the exact bytes.
 */
class SignatureKnownAnswerTest {

    private final Properties vectors = load();
    private final Instant signedAt = Instant.ofEpochSecond(Long.parseLong(vectors.getProperty("airbnb.timestamp")));
    private final Duration tolerance = Duration.ofSeconds(300);
    private final WebhookProperties properties = new WebhookProperties(tolerance, 262144, Duration.ofSeconds(5),
            10, 1, null, null, null, 4);

    @Test
    void timestampedHmacAcceptsTheOpensslVector() {
        var verifier = new TimestampedHmacVerifier(properties);
        var verified = verifier.verify(header(Map.of(TimestampedHmacVerifier.HEADER, vectors.getProperty("airbnb.header"))),
                body("airbnb.body"), List.of("another-secret", vectors.getProperty("airbnb.secret")), signedAt.plusSeconds(10), tolerance);
        assertThat(verified.eventTime()).isEqualTo(signedAt);
        assertThat(verified.eventId()).isNull();
    }

    @Test
    void timestampedHmacRefusesTheVectorWithOneByteChangedOrReencoded() {
        var verifier = new TimestampedHmacVerifier(properties);
        var header = header(Map.of(TimestampedHmacVerifier.HEADER, vectors.getProperty("airbnb.header")));
        byte[] tampered = body("airbnb.body");
        tampered[tampered.length - 3] ^= 1;
        byte[] reencoded = new String(body("airbnb.body"), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        for (byte[] wrong : List.of(tampered, reencoded)) {
            assertThatThrownBy(() -> verifier.verify(header, wrong, List.of(vectors.getProperty("airbnb.secret")), signedAt, tolerance))
                    .isInstanceOf(WebhookRejection.class).hasMessage("signature does not match");
        }
    }

    @Test
    void standardWebhooksAcceptsTheOpensslVector() {
        var verifier = new StandardWebhooksVerifier(properties);
        var verified = verifier.verify(header(Map.of(
                        StandardWebhooksVerifier.ID, vectors.getProperty("booking_com.id"),
                        StandardWebhooksVerifier.TIMESTAMP, vectors.getProperty("booking_com.timestamp"),
                        StandardWebhooksVerifier.SIGNATURE, "v1,bm90IGl0 " + vectors.getProperty("booking_com.signature"))),
                body("booking_com.body"), List.of(vectors.getProperty("booking_com.secret")), signedAt.minusSeconds(10), tolerance);
        assertThat(verified.eventId()).isEqualTo("msg_kat_1");
        assertThat(verified.eventTime()).isEqualTo(signedAt);
    }

    /** What we send to subscriptions (subscription/Deliveries) is signed by the same code: it reproduces the openssl vector. */
    @Test
    void outgoingStandardWebhooksSignatureIsTheOpensslVector() {
        assertThat(StandardWebhooksVerifier.sign(vectors.getProperty("booking_com.secret"), vectors.getProperty("booking_com.id"),
                Long.parseLong(vectors.getProperty("booking_com.timestamp")), body("booking_com.body")))
                .isEqualTo(vectors.getProperty("booking_com.signature"));
    }

    @Test
    void standardWebhooksRefusesTheVectorUnderAnotherId() {
        var verifier = new StandardWebhooksVerifier(properties);
        assertThatThrownBy(() -> verifier.verify(header(Map.of(
                        StandardWebhooksVerifier.ID, "msg_kat_2",
                        StandardWebhooksVerifier.TIMESTAMP, vectors.getProperty("booking_com.timestamp"),
                        StandardWebhooksVerifier.SIGNATURE, vectors.getProperty("booking_com.signature"))),
                body("booking_com.body"), List.of(vectors.getProperty("booking_com.secret")), signedAt, tolerance))
                .isInstanceOf(WebhookRejection.class).hasMessage("signature does not match");
    }

    @Test
    void standardWebhooksAcceptsTheVectorWhileASecondSecretIsConfiguredForARotation() {
        var verifier = new StandardWebhooksVerifier(properties);
        var verified = verifier.verify(header(Map.of(
                        StandardWebhooksVerifier.ID, vectors.getProperty("booking_com.id"),
                        StandardWebhooksVerifier.TIMESTAMP, vectors.getProperty("booking_com.timestamp"),
                        StandardWebhooksVerifier.SIGNATURE, vectors.getProperty("booking_com.signature"))),
                body("booking_com.body"), List.of("whsec_YW5vdGhlci1rZXk=", vectors.getProperty("booking_com.secret")), signedAt, tolerance);
        assertThat(verified.eventId()).isEqualTo("msg_kat_1");
    }

    @Test
    void standardWebhooksRefusesAMalformedSignatureHeader() {
        var verifier = new StandardWebhooksVerifier(properties);
        assertThatThrownBy(() -> verifier.verify(header(Map.of(
                        StandardWebhooksVerifier.ID, vectors.getProperty("booking_com.id"),
                        StandardWebhooksVerifier.TIMESTAMP, vectors.getProperty("booking_com.timestamp"),
                        StandardWebhooksVerifier.SIGNATURE, "v1:not-base64!")),
                body("booking_com.body"), List.of(vectors.getProperty("booking_com.secret")), signedAt, tolerance))
                .isInstanceOf(WebhookRejection.class).hasMessageContaining("malformed");
    }

    private static java.util.function.Function<String, String> header(Map<String, String> headers) {
        return name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private byte[] body(String key) {
        try (InputStream in = getClass().getResourceAsStream(vectors.getProperty(key))) {
            byte[] bytes = in.readAllBytes();
            return Arrays.copyOf(bytes, bytes.length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties load() {
        try (InputStream in = SignatureKnownAnswerTest.class.getResourceAsStream("signature-vectors.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
