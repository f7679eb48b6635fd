package io.roomcast.edge.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.IoUtils;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;

/**
 * Notices a client that closes its HTTP/1.1 connection while its request waits for the response to start (an answer
 * not begun yet, or one sent whole at its end). Undertow reads nothing from a connection while a request is handled,
 * so without this the edge learns of it only at its first write: the request would keep its connection place and its
 * room subscription until then.
 *
 * <p>The watch reads the connection underneath the request, after its body, until the response is committed or the
 * exchange ends. The end of the stream closes the connection, which ends the exchange and everything that follows its
 * completion. Bytes that arrive instead (a request pipelined behind this one) are handed back to Undertow, which reads
 * them after this exchange, and the watch stops. A connection that already holds such bytes, or is not HTTP/1.1, is not
 * watched. When the watch stops, the connection's reads go back to Undertow's reader.
 *
 * <p>Threading: {@link #start} runs on the exchange's IO thread; reads happen there too; the watch stops on the
 * thread that commits the response or completes the exchange.
 */
public final class HangUpWatch implements ReadReadyHandler {
    private final HttpServerConnection connection;
    private final StreamSourceConduit source;
    /** What the connection's reads go to otherwise: its source channel, whose reader Undertow sets (as XNIO's channel does itself). */
    private final ReadReadyHandler undertows;
    private volatile boolean watching = true;

    private HangUpWatch(HttpServerConnection connection) {
        this.connection = connection;
        this.source = connection.getOriginalSourceConduit();
        this.undertows = new ReadReadyHandler.ChannelListenerHandler<>(connection.getChannel().getSourceChannel());
    }

    /** Starts watching {@code exchange}'s connection, whose request body has been read. IO thread. */
    public static void start(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof HttpServerConnection http) || http.getExtraBytes() != null
                || exchange.isResponseStarted() || exchange.isComplete()) {
            return;
        }
        HangUpWatch watch = new HangUpWatch(http);
        exchange.addResponseCommitListener(ex -> watch.stop());
        exchange.addExchangeCompleteListener((ex, next) -> {
            watch.stop();
            next.proceed();
        });
        watch.source.setReadReadyHandler(watch);
        watch.source.resumeReads();
    }

    /** Gives the connection's reads back to Undertow, which resumes them for the next request once this exchange completes. */
    private void stop() {
        if (watching) {
            watching = false;
            source.suspendReads();
            source.setReadReadyHandler(undertows);
        }
    }

    @Override
    public void readReady() {
        if (!watching) {
            source.suspendReads();
            return;
        }
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean handedOn = false;
        try {
            int n = source.read(pooled.getBuffer());
            if (n < 0) {
                stop();
                IoUtils.safeClose(connection); // ends the exchange: its completion frees what the request held
            } else if (n > 0) {
                stop();
                pooled.getBuffer().flip();
                connection.ungetRequestBytes(pooled);
                handedOn = true;
            }
        } catch (IOException e) {
            stop();
            IoUtils.safeClose(connection);
        } finally {
            if (!handedOn) {
                pooled.close();
            }
        }
    }

    @Override
    public void forceTermination() {
        stop();
        undertows.forceTermination();
    }

    @Override
    public void terminated() {
        stop();
        undertows.terminated();
    }
}
