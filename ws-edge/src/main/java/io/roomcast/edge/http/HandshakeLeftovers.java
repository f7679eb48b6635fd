package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.spi.WebSocketHttpExchange;

/**
 * Frees what the handshake's HTTP exchange keeps once its connection is a WebSocket. Undertow's
 * HTTP connection object stays referenced for the socket's whole life (it is the socket's close
 * listener) and with it the last exchange: the request and response headers alone were ≈ 1 KB of
 * an idle connection's heap. Nothing reads them after the upgrade.
 *
 * <p>Threading: both methods run on the connection's IO thread, during the handshake.
 */
public final class HandshakeLeftovers {
    private static final AttachmentKey<HttpServerExchange> EXCHANGE = AttachmentKey.create(HttpServerExchange.class);

    private HandshakeLeftovers() {
    }

    /** Before the handshake handler: remembers the exchange so that {@link #release} can reach it. */
    public static void remember(HttpServerExchange exchange) {
        exchange.putAttachment(EXCHANGE, exchange);
    }

    /** In the connection callback, after its last look at the handshake: drops the headers. */
    public static void release(WebSocketHttpExchange handshake) {
        HttpServerExchange exchange = handshake.getAttachment(EXCHANGE);
        if (exchange != null) {
            exchange.removeAttachment(EXCHANGE);
            exchange.getRequestHeaders().clear();
            exchange.getResponseHeaders().clear();
        }
    }
}
