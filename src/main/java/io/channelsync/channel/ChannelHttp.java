package io.channelsync.channel;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The one HTTP client the channel clients share, and how an answer becomes a success or a {@link ChannelCallException}. */
final class ChannelHttp {

    private ChannelHttp() {
    }

    static HttpClient client(ChannelProperties properties) {
        return HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri().getHost(), e);
        }
    }

    /** Throws unless the answer is 2xx; the message carries the status and the start of the body, never our headers. */
    static void requireSuccess(String platform, String what, HttpResponse<String> response) throws ChannelCallException {
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new ChannelCallException(platform, status, what + " answered HTTP " + status + bodySnippet(response.body()),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
    }

    static String bodySnippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine);
    }
}
