package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.FrameParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read side of one WebSocket connection once Undertow's handshake has upgraded it: reads the
 * socket into its IO thread's read buffer ({@link IoFlusher#readBuffer()}), decodes the client's
 * frames ({@link FrameReader}) and hands the requests to the {@link Session}. Undertow's own
 * WebSocket channel is not made: it kept ≈ 1.4 KB of queues, locks and setters per connection that
 * the edge never used (its writes go through {@link Outbound}), see docs/architecture.md.
 *
 * <p>Threading: everything here runs on the connection's IO thread (XNIO's read listener).
 */
public final class Connection implements ChannelListener<ConduitStreamSourceChannel>, FrameReader.Frames {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** Reads per readiness event before the other connections of the thread get their turn. */
    private static final int READS_PER_EVENT = 4;

    private final StreamConnection connection;
    private final Session session;
    private final FrameParser parser;
    private final FrameReader reader;
    private final IoFlusher flusher;

    private Connection(StreamConnection connection, Session session, FrameParser parser, int maxMessageBytes) {
        this.connection = connection;
        this.session = session;
        this.flusher = session.outbound().flusher();
        this.parser = parser;
        this.reader = new FrameReader(maxMessageBytes);
    }

    /** Starts reading {@code connection}'s frames into {@code session}. The connection's IO thread, when it opens. */
    public static void open(StreamConnection connection, Session session, FrameParser parser, int maxMessageBytes) {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.setReadListener(new Connection(connection, session, parser, maxMessageBytes));
        source.resumeReads();
    }

    /** The socket is readable (or bytes that came with the handshake wait). The IO thread. */
    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
        for (int i = 0; i < READS_PER_EVENT; i++) {
            ByteBuffer buffer = flusher.readBuffer();
            int n;
            try {
                n = source.read(buffer);
            } catch (IOException e) {
                log.atDebug().addKeyValue("session", session.id()).setCause(e).log("read failed");
                IoUtils.safeClose(connection);
                return;
            }
            if (n < 0) {
                log.atDebug().addKeyValue("session", session.id()).log("client hung up");
                IoUtils.safeClose(connection);
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            reader.read(buffer, this); // after a close frame or a violation, it discards what comes until the socket closes
        }
    }

    @Override
    public void text(String message) {
        session.touch();
        parser.parse(message).forEach(session::handle);
    }

    /** The pong goes out through the connection's queue, after the frames queued before it. */
    @Override
    public void ping(ByteBuffer payload) {
        session.touch();
        session.pong(payload);
    }

    @Override
    public void pong() {
        session.touch();
    }

    @Override
    public void close(int code, String reason) {
        log.atDebug().addKeyValue("session", session.id()).addKeyValue("code", code).log("client closed");
        session.closedByClient(code, reason);
    }

    @Override
    public void failed(CloseCode code, String why) {
        log.atDebug().addKeyValue("session", session.id()).addKeyValue("code", code.code()).addKeyValue("reason", why)
                .log("closing: unreadable frame");
        session.close(code);
    }
}
