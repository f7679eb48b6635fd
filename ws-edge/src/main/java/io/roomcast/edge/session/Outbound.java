package io.roomcast.edge.session;

import io.roomcast.edge.protocol.FrameBatch;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded outbound buffer of one connection. Undertow queues frames on the heap without any
 * limit, so every frame is charged here when it is queued and released in the send callback: the
 * bound is real. Events are refused when the buffer is full (the subscription then falls back to
 * catching up at the client's pace); control frames are always accepted, since they are few and
 * bounded by the request rate.
 *
 * <p>Frames wait here until the connection's IO thread writes them ({@link IoWriters}); whatever
 * queued meanwhile leaves as one batch message (a JSON array), up to {@code batchBytes} each.
 *
 * <p>Thread-safety: safe for concurrent use. Frames handed over by one thread keep their order,
 * and a close goes out after every frame queued before it.
 */
public final class Outbound {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private final WebSocketChannel channel;
    private final IoWriters writers;
    private final int limit;
    private final int batchBytes;
    /** Frames not yet handed to Undertow; bounded by {@code limit} events plus rate-limited control frames. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final OutboundMetrics metrics;
    private final List<Runnable> drainWaiters = new ArrayList<>();
    private volatile long lastProgressNanos = System.nanoTime();

    /**
     * @param limit      event frames that may be queued at once (each event of a batch counts)
     * @param batchBytes the largest WebSocket message built from several frames
     */
    public Outbound(WebSocketChannel channel, IoWriters writers, int limit, int batchBytes, OutboundMetrics metrics) {
        this.channel = channel;
        this.writers = writers;
        this.limit = limit;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
    }

    /** Sends an event frame if the buffer has room; false when it is full. */
    public boolean offer(ByteBuffer frame) {
        int now = queued.incrementAndGet();
        if (now > limit) {
            queued.decrementAndGet();
            return false;
        }
        enqueue(frame);
        return true;
    }

    /** Sends a control frame regardless of the limit. */
    public void force(ByteBuffer frame) {
        queued.incrementAndGet();
        enqueue(frame);
    }

    /** Sends event frames regardless of the limit (the caller sized them by {@link #free()}). */
    public void forceBatch(List<ByteBuffer> frames) {
        queued.addAndGet(frames.size());
        for (ByteBuffer frame : frames) {
            enqueue(frame);
        }
    }

    /** Closes the connection with {@code code} once every frame queued before has been handed over. */
    public void close(int code, String reason) {
        pending.add(new Pending(null, code, reason));
        scheduleFlush();
    }

    /** How many more event frames fit right now. */
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

    private void enqueue(ByteBuffer frame) {
        int size = frame.remaining();
        queuedBytes.addAndGet(size);
        metrics.charged(size);
        pending.add(new Pending(frame, 0, null));
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            writers.schedule(this);
        }
    }

    XnioIoThread ioThread() {
        return channel.getIoThread();
    }

    /** On the IO thread: hands everything queued to Undertow, joined into as few messages as fit. */
    void flush() {
        flushScheduled.set(false);
        List<ByteBuffer> frames = new ArrayList<>();
        Pending next;
        while ((next = pending.poll()) != null) {
            if (next.frame != null) {
                frames.add(next.frame);
            } else {
                send(frames);
                frames.clear();
                WebSockets.sendClose(next.closeCode, next.closeReason, channel, null);
            }
        }
        send(frames);
    }

    private void send(List<ByteBuffer> frames) {
        int at = 0;
        for (FrameBatch batch : FrameBatch.of(frames, batchBytes)) {
            int charged = 0;
            for (int i = at; i < at + batch.count(); i++) {
                charged += frames.get(i).remaining();
            }
            at += batch.count();
            int size = charged;
            int count = batch.count();
            WebSockets.sendText(batch.message().duplicate(), channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    released(size, count, true);
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                    released(size, count, false);
                }
            });
        }
    }

    /** A frame to send, or (frame null) a close to send after the frames before it. */
    private record Pending(ByteBuffer frame, int closeCode, String closeReason) {
    }

    private void released(int size, int count, boolean written) {
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
