package io.roomcast.edge.http;

import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.auth.TokenSource;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Checks the Origin and verifies a {@code ?token=} before the WebSocket handshake, attaching the
 * principal — or what was refused: a foreign Origin, which the edge turns into a 1008 close right
 * after the handshake, or the token's reason, a 4401 close, so that browsers can see them (a
 * refused handshake is a bare 1006 to a browser, which its client would retry forever). A token in the
 * URL is refused as {@code token_in_url} unless {@link io.roomcast.edge.auth.AuthConfig#allowQueryToken()}:
 * URLs land in access logs. Verification that may block (a JWKS fetch) moves to the worker executor.
 */
public final class AuthHandshake implements HttpHandler {
    public static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);
    public static final AttachmentKey<AuthException> REFUSAL = AttachmentKey.create(AuthException.class);
    /** The handshake's Origin is not allowed: the connection is closed with 1008 as soon as it is open. */
    public static final AttachmentKey<String> FOREIGN_ORIGIN = AttachmentKey.create(String.class);

    private final HttpHandler next;
    private final EdgeSecurity security;
    private final Executor worker;

    public AuthHandshake(HttpHandler next, EdgeSecurity security, Executor worker) {
        this.next = next;
        this.security = security;
        this.worker = worker;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (!security.origins().allows(origin)) {
            exchange.putAttachment(FOREIGN_ORIGIN, origin);
            next.handleRequest(exchange);
            return;
        }
        Optional<String> token;
        try {
            token = TokenSource.fromQuery(exchange.getQueryString());
        } catch (AuthException e) {
            exchange.putAttachment(REFUSAL, e);
            next.handleRequest(exchange);
            return;
        }
        // Also on an open edge: the token is in the access logs either way, and the client should learn that now.
        if (token.isPresent() && !security.config().allowQueryToken()) {
            exchange.putAttachment(REFUSAL, new AuthException(AuthException.Reason.TOKEN_IN_URL,
                    "tokens in the URL are refused because URLs are logged: send an auth frame after connecting"));
            next.handleRequest(exchange);
            return;
        }
        if (security.open()) {
            next.handleRequest(exchange);
            return;
        }
        if (token.isPresent()) {
            if (security.authenticator().mayBlock() && exchange.isInIoThread()) {
                exchange.dispatch(worker, this);
                return;
            }
            try {
                exchange.putAttachment(PRINCIPAL, security.authenticator().authenticate(token.get()));
            } catch (AuthException e) {
                exchange.putAttachment(REFUSAL, e);
            }
        }
        next.handleRequest(exchange);
    }
}
