package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.FrameParser;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.xnio.Buffers;
import org.xnio.Pooled;

import java.nio.ByteBuffer;

/**
 * Undertow's receive side of one connection: reads whole text frames (bounded by the edge's
 * frame limit), parses them and hands the requests to the {@link Session}. Runs on the
 * connection's IO thread.
 */
public final class Connection extends AbstractReceiveListener {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Session session;
    private final FrameParser parser;
    private final long maxFrameBytes;

    public Connection(Session session, FrameParser parser, long maxFrameBytes) {
        this.session = session;
        this.parser = parser;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        session.touch();
        parser.parse(message.getData()).forEach(session::handle);
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        session.close(CloseCode.UNSUPPORTED_DATA);
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        session.touch();
        message.getData().free();
    }

    /** The pong goes out through the connection's queue: every frame this edge sends is written there. */
    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        session.touch();
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            ByteBuffer[] parts = data.getResource();
            ByteBuffer payload = ByteBuffer.allocate((int) Buffers.remaining(parts));
            for (ByteBuffer part : parts) {
                payload.put(part);
            }
            session.pong(payload.flip());
        }
    }

    /** The echo goes out after the frames already queued, so it never cuts one of them short. */
    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            CloseMessage cm = new CloseMessage(data.getResource());
            log.atDebug().addKeyValue("session", session.id()).addKeyValue("code", cm.getCode()).log("client closed");
            session.closedByClient(cm);
        }
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        var code = ReadFailure.closeCode(error);
        if (code.isPresent()) {
            log.atDebug().addKeyValue("session", session.id()).addKeyValue("code", code.get().code())
                    .addKeyValue("reason", String.valueOf(error.getMessage())).log("closing: unreadable frame");
            session.close(code.get());
            return;
        }
        log.atDebug().addKeyValue("session", session.id()).setCause(error).log("connection error");
        super.onError(channel, error);
    }

    @Override
    protected long getMaxTextBufferSize() {
        return maxFrameBytes;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return 1024;
    }
}
