package io.roomcast.edge.session;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where a subscription hands its protocol frames (each one JSON object as UTF-8): a WebSocket
 * connection's {@link Outbound}, or another transport that re-frames them (SSE). Every
 * implementation is bounded: {@link #offer} refuses events when full, and {@link #whenDrained}
 * tells the subscription when to go on, so backpressure stays lossless whatever the transport.
 *
 * <p>Thread-safety: implementations are safe for concurrent use and keep the order of frames
 * handed over by one thread.
 */
public interface FrameSink {
    /** Sends an event frame if there is room; false when full. Called on the live thread or a worker. */
    boolean offer(ByteBuffer frame);

    /** Sends a control frame regardless of the limit. Any thread. */
    void force(ByteBuffer frame);

    /** Sends event frames regardless of the limit; the caller sized them by {@link #free()}. Worker threads. */
    void forceBatch(List<ByteBuffer> frames);

    /** How many more event frames fit right now. Any thread. */
    int free();

    /** Runs {@code task} once the sink has drained to half its limit (at once if it already has); it must not block. */
    void whenDrained(Runnable task);
}
