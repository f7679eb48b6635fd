package io.roomcast.edge.session;

import io.roomcast.edge.protocol.FrameBatch;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded outbound buffer of one connection. Undertow queues frames on the heap without any
 * limit, so every frame is charged here before it is handed to Undertow and released in the send
 * callback: the bound is real. Events are refused when the buffer is full (the subscription then
 * falls back to catching up at the client's pace). Control frames (answers, notices, pongs) are
 * accepted beyond the event limit but counted too: a client that keeps asking while reading
 * nothing fills {@link #CONTROL_LIMIT}, and the owner is told once ({@code onFlood}) to close it.
 *
 * <p>Thread-safety: safe for concurrent use. Frames handed over by one thread keep their order.
 */
public final class Outbound implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private final WebSocketChannel channel;
    private final int limit;
    private final int batchBytes;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final OutboundMetrics metrics;
    private final List<Runnable> drainWaiters = new ArrayList<>();
    /** Control frames that may wait unwritten before the client counts as flooding. */
    static final int CONTROL_LIMIT = 1_024;
    private final AtomicInteger controlQueued = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean flooded = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable onFlood;
    private volatile long lastProgressNanos = System.nanoTime();

    /**
     * @param limit      event frames that may be queued at once (each event of a batch counts)
     * @param batchBytes the largest WebSocket message {@link #forceBatch} builds from several events
     */
    public Outbound(WebSocketChannel channel, int limit, int batchBytes, OutboundMetrics metrics, Runnable onFlood) {
        this.onFlood = onFlood;
        this.channel = channel;
        this.limit = limit;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
    }

    /** Sends an event frame if the buffer has room; false when it is full. */
    @Override
    public boolean offer(ByteBuffer frame) {
        int now = queued.incrementAndGet();
        if (now > limit) {
            queued.decrementAndGet();
            return false;
        }
        write(frame, 1, false);
        return true;
    }

    /** Sends a control frame regardless of the event limit (see {@link #CONTROL_LIMIT}). */
    @Override
    public void force(ByteBuffer frame) {
        queued.incrementAndGet();
        if (controlQueued.incrementAndGet() > CONTROL_LIMIT && flooded.compareAndSet(false, true)) {
            onFlood.run();
        }
        write(frame, 1, true);
    }

    /**
     * Sends event frames regardless of the limit (the caller sized them by {@link #free()}), joined
     * into as few WebSocket messages as fit {@code batchBytes} each: a JSON array per message, or the
     * frame itself when it travels alone. Each event counts against the limit until its message is
     * written. Replays use this: one write per batch instead of one per event.
     */
    @Override
    public void forceBatch(List<ByteBuffer> frames) {
        for (FrameBatch batch : FrameBatch.of(frames, batchBytes)) {
            queued.addAndGet(batch.count());
            write(batch.message(), batch.count(), false);
        }
    }

    /** How many more event frames fit right now. */
    @Override
    public int free() {
        return Math.max(0, limit - queued.get());
    }

    public int queued() {
        return queued.get();
    }

    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Nanotime of the last completed write, or of creation. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Runs {@code task} once the buffer has drained to half its limit (at once if it already has).
     * The task runs on whichever thread completes a write, usually an IO thread: it must not block.
     */
    @Override
    public void whenDrained(Runnable task) {
        boolean runNow;
        synchronized (drainWaiters) {
            runNow = queued.get() <= limit / 2;
            if (!runNow) {
                drainWaiters.add(task);
            }
        }
        if (runNow) {
            task.run();
        }
    }

    /**
     * Hands one WebSocket message carrying {@code count} frames to Undertow; they are released
     * together, once: Undertow may report a failed frame more than once while a channel closes.
     */
    private void write(ByteBuffer frame, int count, boolean control) {
        int size = frame.remaining();
        queuedBytes.addAndGet(size);
        metrics.charged(size);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        WebSockets.sendText(frame.duplicate(), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                if (done.compareAndSet(false, true)) {
                    released(size, count, control, true);
                }
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                if (done.compareAndSet(false, true)) {
                    released(size, count, control, false);
                }
            }
        });
    }

    private void released(int size, int count, boolean control, boolean written) {
        if (control) {
            controlQueued.decrementAndGet();
        }
        queuedBytes.addAndGet(-size);
        metrics.released(size, written);
        lastProgressNanos = System.nanoTime();
        int now = queued.addAndGet(-count);
        if (now <= limit / 2) {
            List<Runnable> ready;
            synchronized (drainWaiters) {
                if (drainWaiters.isEmpty()) {
                    return;
                }
                ready = new ArrayList<>(drainWaiters);
                drainWaiters.clear();
            }
            for (Runnable task : ready) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.atError().setCause(e).log("drain callback failed");
                }
            }
        }
    }
}
