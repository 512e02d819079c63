package io.channelsync.security;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

/**
 * Turns a bearer key into a {@link Caller}: operator keys from configuration, agency keys by the
 * hash stored in {@code api_keys} (revoked keys no longer match).
 */
@Component
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final List<byte[]> operatorKeyHashes;
    private final JdbcTemplate jdbc;

    public ApiKeyAuthenticationProvider(SecurityProperties properties, JdbcTemplate jdbc) {
        this.operatorKeyHashes = properties.operatorKeys().stream()
                .map(k -> ApiKeys.hash(k).getBytes(StandardCharsets.US_ASCII)).toList();
        this.jdbc = jdbc;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String key = (String) authentication.getCredentials();
        String hash = ApiKeys.hash(key);
        Caller caller = isOperatorKey(hash) ? Caller.operator(ApiKeys.prefix(key)) : agencyCaller(key, hash);
        if (caller == null) {
            throw new BadCredentialsException("unknown or revoked API key");
        }
        var token = new PreAuthenticatedAuthenticationToken(caller, null,
                AuthorityUtils.createAuthorityList(caller.operator() ? "ROLE_OPERATOR" : "ROLE_AGENCY"));
        token.setDetails(authentication.getDetails());
        return token;
    }

    /** Compares against every operator key in constant time, so timing tells nothing about which was close. */
    private boolean isOperatorKey(String hash) {
        byte[] candidate = hash.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (byte[] operatorHash : operatorKeyHashes) {
            match |= MessageDigest.isEqual(operatorHash, candidate);
        }
        return match;
    }

    private Caller agencyCaller(String key, String hash) {
        List<UUID> agencies = jdbc.queryForList(
                "select agency_id from api_keys where key_hash = ? and revoked_at is null", UUID.class, hash);
        return agencies.isEmpty() ? null : Caller.agency(agencies.get(0), ApiKeys.prefix(key));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
