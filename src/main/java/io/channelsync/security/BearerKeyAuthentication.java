package io.channelsync.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An API key as presented in {@code Authorization: Bearer <key>}, not yet checked. */
public class BearerKeyAuthentication extends AbstractAuthenticationToken {

    private final String key;

    public BearerKeyAuthentication(String key) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.key = key;
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Object getPrincipal() {
        return ApiKeys.prefix(key);
    }
}
