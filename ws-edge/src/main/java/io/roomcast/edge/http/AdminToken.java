package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin token of the management endpoints, as a request presents it: {@code Authorization:
 * Bearer <token>}, the scheme in any case (RFC 9110, 11.1), the token compared in constant time.
 * Immutable; any thread.
 */
public final class AdminToken {
    private static final String SCHEME = "Bearer ";

    private final byte[] token;

    /** @param token null when none is configured: then no request carries it */
    public AdminToken(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean configured() {
        return token != null;
    }

    /** Whether {@code exchange} carries this token. */
    public boolean carriedBy(HttpServerExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (token == null || auth == null || !auth.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(token, auth.substring(SCHEME.length()).getBytes(StandardCharsets.UTF_8));
    }
}
