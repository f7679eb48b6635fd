package io.roomcast.edge.sse;

import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.roomcast.edge.session.DrainWaiters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded outbound buffer of one SSE response, the counterpart of the WebSocket's
 * {@code Outbound}: Undertow's {@link ServerSentEventConnection} queues events on the heap without
 * any limit, so every event is charged here before it is handed over and released in its send
 * callback. Events are refused when {@code limit} are waiting; control events are always taken.
 *
 * <p>Thread-safety: safe for concurrent use; events handed over by one thread keep their order
 * (the connection's queue is FIFO under its own lock). Never blocks: writes happen on the
 * connection's IO thread.
 */
public final class SseChannel {
    private static final Logger log = LoggerFactory.getLogger(SseChannel.class);

    private final ServerSentEventConnection connection;
    private final int limit;
    private final SseMetrics metrics;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final DrainWaiters drainWaiters = new DrainWaiters();
    private volatile long lastProgressNanos = System.nanoTime();

    /** On the response's IO thread, once its headers are out. */
    public SseChannel(ServerSentEventConnection connection, int limit, SseMetrics metrics) {
        this.connection = connection;
        this.limit = limit;
        this.metrics = metrics;
    }

    /** Sends an event if fewer than the limit wait; false when full. Any thread. */
    public boolean offer(String data, String event, String id) {
        if (queued.incrementAndGet() > limit) {
            queued.decrementAndGet();
            return false;
        }
        write(data, event, id);
        return true;
    }

    /** Sends an event regardless of the limit (control events, and history the caller sized by {@link #free()}). Any thread. */
    public void force(String data, String event, String id) {
        queued.incrementAndGet();
        write(data, event, id);
    }

    /** How many more events fit right now. Any thread. */
    public int free() {
        return Math.max(0, limit - queued.get());
    }

    /** Events queued and not yet written. Any thread. */
    public int queued() {
        return queued.get();
    }

    /** About the bytes queued and not yet written (see {@link #write}). Any thread. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Nanotime of the last event the connection wrote (or failed to), or of creation. Any thread. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** See {@code FrameSink#whenDrained}: {@code task} runs once half the limit is free; it must not block. Any thread. */
    public void whenDrained(Runnable task) {
        drainWaiters.await(task, () -> queued.get() <= limit / 2);
    }

    /** Sets the client's reconnection delay ({@code retry:} field). Any thread. */
    public void retry(long millis) {
        connection.sendRetry(millis);
    }

    /** Ends the response (the client's {@code EventSource} reconnects). Any thread. */
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            log.atDebug().setCause(e).log("closing an SSE connection failed");
        }
    }

    /** Ends the response once everything queued has been written. Any thread. */
    public void finish() {
        connection.shutdown();
    }

    /** Whether the response is still open. Any thread. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    private void write(String data, String event, String id) {
        // An approximation of the bytes (field names and newlines are not counted): the gauge is for trends.
        int size = data.length() + (id == null ? 0 : id.length());
        queuedBytes.addAndGet(size);
        metrics.charged(size);
        // Undertow writes "data:x"; with the space it is "data: x", as OpenAI's streams and the docs show it (some
        // clients compare the line itself), and a parser that follows the SSE spec takes one such space away again.
        connection.send(" " + data, event == null ? null : " " + event, id == null ? null : " " + id, new ServerSentEventConnection.EventCallback() {
            @Override
            public void done(ServerSentEventConnection c, String d, String e, String i) {
                released(size, true);
            }

            @Override
            public void failed(ServerSentEventConnection c, String d, String e, String i, IOException cause) {
                released(size, false);
            }
        });
    }

    private void released(int size, boolean written) {
        queuedBytes.addAndGet(-size);
        metrics.released(size, written);
        lastProgressNanos = System.nanoTime();
        if (queued.decrementAndGet() <= limit / 2) {
            drainWaiters.drained();
        }
    }

    /** A frame's bytes as the SSE data line: JSON whose line breaks (only whitespace there) become spaces. */
    static String dataLine(java.nio.ByteBuffer frame) {
        String s = StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\r', ' ').replace('\n', ' ');
    }
}
