package io.roomcast.edge.http;

import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import org.xnio.StreamConnection;

import java.util.List;

/**
 * Undertow's WebSocket handshake of RFC 6455 (version 13; no extension, no subprotocol), and the
 * upgraded connection handed to the edge as it is: the edge reads and writes the frames itself (see
 * {@code session.Connection} and {@code session.Outbound}). Undertow also speaks the drafts before
 * the RFC (versions 7 and 8) by default; the edge does not: no browser has sent them since 2012, they
 * name the page's origin in another header ({@code Sec-WebSocket-Origin}), and docs/protocol.md
 * promises 426 for any version but 13.
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

    /** The one version spoken, as {@code Sec-WebSocket-Version} names it. */
    private static final String SPOKEN_VERSION = "13";

    private final Upgraded callback;

    private WebSocketUpgrade(Upgraded callback) {
        this.callback = callback;
    }

    /** The handshake handler whose upgraded connections go to {@code callback}; other requests get {@link #refuse}. */
    public static HttpHandler handler(Upgraded callback) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake());
        return new WebSocketProtocolHandshakeHandler(handshakes, new WebSocketUpgrade(callback), WebSocketUpgrade::refuse);
    }

    /**
     * A request none of the handshakes took, answered with what is wrong (a JSON error, as the
     * edge's other HTTP refusals): 426 with {@code Upgrade: websocket} for a request that asked for
     * no upgrade (a browser opening the URL), 426 with the versions spoken for an upgrade to another
     * WebSocket version (RFC 6455, 4.4), 400 for a handshake without what one needs. IO thread.
     */
    static void refuse(HttpServerExchange exchange) {
        HeaderMap request = exchange.getRequestHeaders();
        String version = request.getFirst(Headers.SEC_WEB_SOCKET_VERSION);
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            JsonErrors.send(exchange, StatusCodes.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                    "a WebSocket handshake is a GET request, this was " + exchange.getRequestMethod());
        } else if (!"websocket".equalsIgnoreCase(request.getFirst(Headers.UPGRADE))) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            JsonErrors.send(exchange, StatusCodes.UPGRADE_REQUIRED, ErrorCode.BAD_REQUEST,
                    "this endpoint speaks WebSocket only (RFC 6455): connect with a WebSocket client");
        } else if (version == null || !SPOKEN_VERSION.equals(version.trim())) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, SPOKEN_VERSION);
            JsonErrors.send(exchange, StatusCodes.UPGRADE_REQUIRED, ErrorCode.BAD_REQUEST,
                    "WebSocket version " + (version == null ? "(none)" : "'" + abbreviate(version) + "'") + " is not spoken here: use " + SPOKEN_VERSION);
        } else {
            JsonErrors.send(exchange, StatusCodes.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                    "not a valid WebSocket handshake: it needs Connection: Upgrade and a Sec-WebSocket-Key");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 16 ? text : text.substring(0, 16) + "...";
    }

    @Override
    public void handleUpgrade(StreamConnection connection, HttpServerExchange exchange) {
        callback.onConnect(exchange, connection);
    }
}
