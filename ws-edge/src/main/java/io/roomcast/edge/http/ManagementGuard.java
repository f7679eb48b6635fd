package io.roomcast.edge.http;

import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

import java.net.InetSocketAddress;

/**
 * Guards {@code /metrics} and {@code /admin/*} when they share the public listener (no management
 * port configured): they are served to a request that comes straight from this host (a loopback
 * peer and no forwarding header, so not through a local proxy) or that carries the admin token;
 * everyone else gets 403. Runs on the IO thread; cheap.
 */
public final class ManagementGuard implements HttpHandler {
    private static final HttpString[] FORWARDING = {Headers.FORWARDED, Headers.X_FORWARDED_FOR, HttpString.tryFromString("X-Real-IP"),
            Headers.X_FORWARDED_HOST};

    private final HttpHandler next;
    private final AdminToken token;

    /** @param token when none is configured, only local requests pass */
    public ManagementGuard(HttpHandler next, AdminToken token) {
        this.next = next;
        this.token = token;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (local(exchange) || token.carriedBy(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        JsonErrors.send(exchange, StatusCodes.FORBIDDEN, ErrorCode.FORBIDDEN, "management endpoints answer local requests, the management port, "
                + "or Authorization: Bearer <admin token> (docs/security.md)");
    }

    private static boolean local(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        if (peer == null || peer.getAddress() == null || !peer.getAddress().isLoopbackAddress()) {
            return false;
        }
        for (HttpString header : FORWARDING) {
            if (exchange.getRequestHeaders().contains(header)) {
                return false;
            }
        }
        return true;
    }
}
