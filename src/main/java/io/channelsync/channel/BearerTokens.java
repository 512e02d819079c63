package io.channelsync.channel;

import java.io.IOException;

/** Where a channel client gets its bearer token: cached, renewed on demand (see {@link ChannelHttp#callWithBearer}). */
public interface BearerTokens {

    /** A valid token, fetched if none is cached. */
    String token() throws IOException;

    /** Forgets the cached token (the channel answered 401 with it). */
    void invalidate();
}
