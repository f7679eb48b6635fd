package io.roomcast.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between the client's protocol logic and a WebSocket implementation. Reads are pulled: after each complete
 * text message the handler says whether it wants the next one now; if not, the transport waits for
 * {@link Connection#request()}, which is how the client applies backpressure. Implementations:
 * {@link JdkWebSocketTransport}; tests may use their own.
 */
interface Transport {

    /** Opens a connection; {@code handler} gets its messages and its end. Fails the future when the handshake fails. */
    CompletableFuture<Connection> connect(URI uri, Duration timeout, Handler handler);

    /** Receives what happens on one connection; calls for one connection never overlap. */
    interface Handler {
        /**
         * One complete text message. Returns true to receive the next message when it comes; false to receive nothing
         * more until {@link Connection#request()}.
         */
        boolean onText(String message);

        /** The edge closed the connection with a close frame. */
        void onClosed(int code, String reason);

        /** The connection failed (IO error, oversized frame, protocol violation). */
        void onFailure(Throwable error);
    }

    /** One open connection. Methods may be called from any thread. */
    interface Connection {
        /** Queues one frame object for sending; queued objects may leave together as a batch. */
        void send(String frame);

        /** Allows the next message to be delivered, after {@link Handler#onText} returned false. */
        void request();

        /** Closes politely with a close frame, then drops the connection. */
        void close(int code, String reason);

        /** Drops the connection at once. */
        void abort();
    }
}
