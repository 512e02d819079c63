package io.channelsync.channel;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one way every channel client calls a channel: one shared {@link HttpClient} with
 * {@code channel-sync.channels.connect-timeout}, each request bounded by
 * {@code channel-sync.channels.request-timeout}, a channel's bearer token when it uses one (renewed
 * and the call made once more after a 401), and any status but 2xx turned into a
 * {@link ChannelCallException} carrying the channel's {@code Retry-After}. Clients build their own
 * requests: no header of an inbound request ever reaches a channel.
 */
@Component
public class ChannelHttp {

    private static final int SNIPPET = 300;

    private final HttpClient http;
    private final Duration requestTimeout;

    public ChannelHttp(ChannelProperties properties) {
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
        this.requestTimeout = properties.requestTimeout();
    }

    /**
     * Sends the request and answers the 2xx response.
     *
     * @param what what the call is, for the error message ("calendar push of listing 42")
     * @throws ChannelCallException any other status (the response body is consumed)
     * @throws IOException          connection error or timeout
     */
    public <T> HttpResponse<T> call(String platform, String what, HttpRequest.Builder request,
                                    HttpResponse.BodyHandler<T> body) throws IOException {
        return requireSuccess(platform, what, send(request, body));
    }

    /**
     * {@link #call} with {@code Authorization: Bearer <token>} (e.g. Booking.com's machine-account token);
     * on a 401 the cached token is invalidated and the call made once more with a new one.
     */
    public <T> HttpResponse<T> callWithBearer(String platform, String what, BearerTokens tokens, HttpRequest.Builder request,
                                              HttpResponse.BodyHandler<T> body) throws IOException {
        HttpResponse<T> response = send(request.copy().setHeader("Authorization", "Bearer " + tokens.token()), body);
        if (response.statusCode() == 401) {
            snippet(response.body());
            tokens.invalidate();
            response = send(request.copy().setHeader("Authorization", "Bearer " + tokens.token()), body);
        }
        return requireSuccess(platform, what, response);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
        HttpRequest built = request.timeout(requestTimeout).build();
        try {
            return http.send(built, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + built.uri().getHost(), e);
        }
    }

    /** Throws unless the answer is 2xx; the message carries the status and the start of the body, never our headers. */
    private static <T> HttpResponse<T> requireSuccess(String platform, String what, HttpResponse<T> response) throws ChannelCallException {
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new ChannelCallException(platform, status, what + " answered HTTP " + status + snippet(response.body()),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        return response;
    }

    /** {@code ": <the start of the body on one line>"}, or empty; a streamed body is read that far and closed. */
    public static String snippet(Object body) {
        String text;
        if (body instanceof String s) {
            text = s;
        } else if (body instanceof byte[] bytes) {
            text = new String(bytes, 0, Math.min(bytes.length, SNIPPET * 4), StandardCharsets.UTF_8);
        } else if (body instanceof InputStream in) {
            try (in) {
                text = new String(in.readNBytes(SNIPPET * 4), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = null;
            }
        } else {
            text = null;
        }
        if (text == null || text.isBlank()) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() > SNIPPET ? oneLine.substring(0, SNIPPET) + "..." : oneLine);
    }
}
