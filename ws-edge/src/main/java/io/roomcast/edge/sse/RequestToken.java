package io.roomcast.edge.sse;

import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.TokenSource;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;

import java.util.Optional;

/**
 * The token of a plain HTTP request (SSE, the OpenAI endpoint): an {@code Authorization: Bearer}
 * header, else the {@value #COOKIE} cookie (what a browser's {@code EventSource}, which cannot set
 * headers, sends). Never the query string. Stateless.
 */
public final class RequestToken {
    public static final String COOKIE = "roomcast_token";
    private static final String BEARER = "bearer ";

    private RequestToken() {
    }

    /**
     * @return empty when the request carries no token
     * @throws AuthException {@code malformed} for an Authorization header that is not a bearer
     *                       token, or a token over {@link TokenSource#MAX_TOKEN_LENGTH}
     */
    public static Optional<String> of(HttpServerExchange exchange) throws AuthException {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String token = null;
        if (header != null) {
            if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw new AuthException(AuthException.Reason.MALFORMED, "the Authorization header must be 'Bearer <token>'");
            }
            token = header.substring(BEARER.length()).trim();
        } else {
            Cookie cookie = exchange.getRequestCookie(COOKIE);
            if (cookie != null) {
                token = cookie.getValue();
            }
        }
        if (token == null) {
            return Optional.empty();
        }
        if (token.length() > TokenSource.MAX_TOKEN_LENGTH) {
            throw new AuthException(AuthException.Reason.MALFORMED, "the token is longer than " + TokenSource.MAX_TOKEN_LENGTH + " characters");
        }
        return Optional.of(token);
    }
}
