package io.roomcast.edge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.session.Session;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;

/**
 * {@code /admin/connections}: every connection with its subscriptions, positions and lag — the
 * per-connection detail that must never become metric labels. Enabled only with an admin token,
 * sent as {@code Authorization: Bearer <token>}.
 */
public final class AdminHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LISTED = 10_000;

    private final Collection<Session> sessions;
    private final byte[] token;

    public AdminHandler(Collection<Session> sessions, String token) {
        this.sessions = sessions;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (token == null || auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
            exchange.setStatusCode(token == null ? StatusCodes.NOT_FOUND : StatusCodes.UNAUTHORIZED);
            exchange.getResponseSender().send(token == null ? "admin endpoint disabled: set an admin token" : "unauthorized");
            return;
        }
        var list = sessions.stream().limit(MAX_LISTED).map(Session::status).toList();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JSON.writeValueAsString(java.util.Map.of("connections", list, "total", sessions.size())));
    }
}
