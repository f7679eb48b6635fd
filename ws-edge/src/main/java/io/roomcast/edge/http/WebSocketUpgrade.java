package io.roomcast.edge.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.util.Collections;
import java.util.List;

/**
 * Turns an upgraded HTTP connection into a WebSocket channel and hands it to the edge's callback,
 * in place of the upgrade listener that Undertow's handshake handler makes per request.
 *
 * <p>Why: Undertow's HTTP connection object stays referenced for the socket's whole life (it is the
 * socket's close listener), and it keeps its upgrade listener. Undertow's own listener captures the
 * handshake's exchange, so every idle connection kept its request and response headers, paths,
 * cookies and attachments: about 0.85 KB of heap each (a heap dump by owner, architecture.md). This
 * listener is one object for all connections; the exchange and the handshake wrapper made here are
 * garbage once the callback returns.
 *
 * <p>Undertow's set of open channels is not kept ({@code getPeerConnections()} is empty): the edge
 * tracks its connections in its own session table, and a second index would cost a node each.
 *
 * <p>Threading: {@link #handleUpgrade} runs on the connection's IO thread, after the handshake's
 * response was written.
 */
public final class WebSocketUpgrade implements HttpUpgradeListener {
    private final List<Handshake> handshakes;
    private final WebSocketConnectionCallback callback;

    private WebSocketUpgrade(List<Handshake> handshakes, WebSocketConnectionCallback callback) {
        this.handshakes = handshakes;
        this.callback = callback;
    }

    /** The handshake handler (WebSocket versions 13, 8 and 7, as Undertow's default) whose upgrades go to {@code callback}. */
    public static HttpHandler handler(WebSocketConnectionCallback callback) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
        return new WebSocketProtocolHandshakeHandler(handshakes, new WebSocketUpgrade(handshakes, callback));
    }

    @Override
    public void handleUpgrade(StreamConnection connection, HttpServerExchange exchange) {
        AsyncWebSocketHttpServerExchange handshake = new AsyncWebSocketHttpServerExchange(exchange, Collections.emptySet());
        for (Handshake candidate : handshakes) {
            // The handler picked the first that matches the same request headers; so does this.
            if (candidate.matches(handshake)) {
                WebSocketChannel channel = candidate.createChannel(handshake, connection, handshake.getBufferPool());
                callback.onConnect(handshake, channel);
                return;
            }
        }
        IoUtils.safeClose(connection);
    }
}
