package io.channelsync.subscription;

import io.channelsync.api.ApiException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where events may be sent: an absolute http(s) URL whose host resolves only to public addresses.
 * Loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata), carrier-grade NAT,
 * "this network" and multicast addresses are refused unless
 * {@code channel-sync.subscriptions.allow-private-networks} is true. Checked when a subscription is
 * written (422) and again before every attempt (a name may resolve elsewhere later).
 */
@Component
public class SubscriptionUrls {

    private final boolean allowPrivateNetworks;

    @Autowired
    public SubscriptionUrls(SubscriptionProperties properties) {
        this(properties.allowPrivateNetworks());
    }

    SubscriptionUrls(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /** The URL of a subscription request, or a 422 on field {@code url}. */
    public URI validate(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw ApiException.invalidField("url", "url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw ApiException.invalidField("url", "url", "url must be an absolute http or https URL with a host");
        }
        if (uri.getUserInfo() != null) {
            throw ApiException.invalidField("url", "url", "url must not carry credentials");
        }
        refusal(uri).ifPresent(reason -> {
            throw ApiException.invalidField("url", "public_address", "url " + reason
                    + " (set CHANNEL_SYNC_SUBSCRIPTIONS_ALLOW_PRIVATE_NETWORKS=true to allow it, e.g. in development)");
        });
        return uri;
    }

    /** Why events may not go to this URL (its host is private or unknown), or empty when they may. */
    public Optional<String> refusal(URI uri) {
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve: " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return Optional.of("resolves to a loopback, private or link-local address (" + address.getHostAddress() + ")");
            }
        }
        return Optional.empty();
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128); // "this network", carrier-grade NAT
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
            boolean v4Mapped = isV4Mapped(b);
            if (v4Mapped) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !uniqueLocal;
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
