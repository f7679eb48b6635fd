package io.roomcast.edge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.session.Session;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

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
    private final AdminToken token;

    public AdminHandler(Collection<Session> sessions, AdminToken token) {
        this.sessions = sessions;
        this.token = token;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (!token.configured()) {
            JsonErrors.send(exchange, StatusCodes.NOT_FOUND, ErrorCode.NOT_FOUND, "admin endpoint disabled: set an admin token");
            return;
        }
        if (!token.carriedBy(exchange)) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            JsonErrors.send(exchange, StatusCodes.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <admin token>");
            return;
        }
        var list = sessions.stream().limit(MAX_LISTED).map(Session::status).toList();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JSON.writeValueAsString(java.util.Map.of("connections", list, "total", sessions.size())));
    }
}
