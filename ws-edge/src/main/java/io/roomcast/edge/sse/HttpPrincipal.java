package io.roomcast.edge.sse;

import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.auth.Principal;
import io.undertow.server.HttpServerExchange;

import java.util.Optional;

/** Who a plain HTTP request speaks for. Stateless. */
public final class HttpPrincipal {
    private HttpPrincipal() {
    }

    /**
     * The verified principal of the request's {@link RequestToken}; null when anonymous, and on an
     * open edge (whatever the request carries: an OpenAI SDK always sends some API key).
     * May block (a JWKS fetch): call it on a worker thread.
     *
     * @throws AuthException when a token is present and refused
     */
    public static Principal of(HttpServerExchange exchange, EdgeSecurity security) throws AuthException {
        if (security.open()) {
            return null;
        }
        Optional<String> token = RequestToken.of(exchange);
        return token.isPresent() ? security.authenticator().authenticate(token.get()) : null;
    }
}
