package io.roomcast.edge.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import org.xnio.StreamConnection;

import java.util.List;

/**
 * Undertow's WebSocket handshake (versions 13, 8 and 7, as Undertow's default; no extension, no
 * subprotocol), and the upgraded connection handed to the edge as it is: the edge reads and writes
 * the frames itself (see {@code session.Connection} and {@code session.Outbound}).
 *
 * <p>Why not Undertow's WebSocket channel: the edge already wrote every frame on the socket beneath
 * it, and the channel kept ≈ 1.4 KB per idle connection (two blocking deques with their locks,
 * listener setters, the URL, frame priority queues) for reading alone. Why one listener for all
 * connections: Undertow's HTTP connection object stays referenced for the socket's whole life (it
 * is the socket's close listener) and keeps its upgrade listener; Undertow's own listener captures
 * the handshake's exchange (headers, paths, cookies, attachments: ≈ 0.85 KB). This one captures
 * nothing, so the exchange is garbage once {@link Upgraded#onConnect} returns.
 *
 * <p>Threading: {@link #handleUpgrade} runs on the connection's IO thread, after the handshake's
 * response was written.
 */
public final class WebSocketUpgrade implements HttpUpgradeListener {
    /** Takes an upgraded connection. */
    @FunctionalInterface
    public interface Upgraded {
        /**
         * {@code exchange} is the handshake's request (its attachments, headers), valid during this call only;
         * {@code connection}'s source channel also delivers any frame bytes that arrived with the request. The
         * connection's IO thread; must not block.
         */
        void onConnect(HttpServerExchange exchange, StreamConnection connection);
    }

    private final Upgraded callback;

    private WebSocketUpgrade(Upgraded callback) {
        this.callback = callback;
    }

    /** The handshake handler whose upgraded connections go to {@code callback}. */
    public static HttpHandler handler(Upgraded callback) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
        return new WebSocketProtocolHandshakeHandler(handshakes, new WebSocketUpgrade(callback));
    }

    @Override
    public void handleUpgrade(StreamConnection connection, HttpServerExchange exchange) {
        callback.onConnect(exchange, connection);
    }
}
