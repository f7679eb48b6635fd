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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Frames are queued here and written by the connection's own IO thread ({@link IoFlusher}):
 * single frames queued since the last flush leave joined in one message (the protocol's batch
 * form, at most {@code batchBytes}), so a burst costs one write per connection, not one per event,
 * and no thread but the owner touches Undertow's channel for sending.
 *
 * <p>Thread-safety: safe for concurrent use. Frames handed over by one thread keep their order;
 * {@link #flush()} runs on the IO thread.
 */
public final class Outbound implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    /** Control frames that may wait unwritten before the client counts as flooding. */
    static final int CONTROL_LIMIT = 1_024;

    /**
     * A queued message: one frame that may be joined with its neighbours, a prepared batch, or
     * (with {@code then}) an action to run once everything before it has been handed to Undertow.
     */
    private record Queued(ByteBuffer message, int count, boolean control, boolean joinable, Runnable then) {
        Queued(ByteBuffer message, int count, boolean control, boolean joinable) {
            this(message, count, control, joinable, null);
        }
    }

    private final WebSocketChannel channel;
    private final IoFlusher flusher;
    private final int limit;
    private final int batchBytes;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final OutboundMetrics metrics;
    private final List<Runnable> drainWaiters = new ArrayList<>();
    private final ConcurrentLinkedQueue<Queued> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicInteger controlQueued = new AtomicInteger();
    private final AtomicBoolean flooded = new AtomicBoolean();
    private final Runnable onFlood;
    private volatile long lastProgressNanos = System.nanoTime();

    /**
     * @param limit      event frames that may be queued at once (each event of a batch counts)
     * @param batchBytes the largest WebSocket message built from several frames
     */
    Outbound(WebSocketChannel channel, IoFlusher flusher, int limit, int batchBytes, OutboundMetrics metrics, Runnable onFlood) {
        this.channel = channel;
        this.flusher = flusher;
        this.limit = limit;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
        this.onFlood = onFlood;
    }

    /** Sends an event frame if the buffer has room; false when it is full. */
    @Override
    public boolean offer(ByteBuffer frame) {
        int now = queued.incrementAndGet();
        if (now > limit) {
            queued.decrementAndGet();
            return false;
        }
        enqueue(new Queued(frame, 1, false, true));
        return true;
    }

    /** Sends a control frame regardless of the event limit (see {@link #CONTROL_LIMIT}). */
    @Override
    public void force(ByteBuffer frame) {
        queued.incrementAndGet();
        if (controlQueued.incrementAndGet() > CONTROL_LIMIT && flooded.compareAndSet(false, true)) {
            onFlood.run();
        }
        enqueue(new Queued(frame, 1, true, true));
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
            enqueue(new Queued(batch.message(), batch.count(), false, batch.count() == 1));
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
     * Runs {@code action} (a close frame) on the IO thread after every frame queued before it has
     * been handed to Undertow, so a close never overtakes the frames that precede it. Any thread.
     */
    public void thenRun(Runnable action) {
        pending.add(new Queued(null, 0, false, false, action));
        if (dirty.compareAndSet(false, true)) {
            flusher.dirty(this);
        }
    }

    private void enqueue(Queued message) {
        int size = message.message().remaining();
        queuedBytes.addAndGet(size);
        metrics.charged(size);
        pending.add(message);
        if (dirty.compareAndSet(false, true)) {
            flusher.dirty(this);
        }
    }

    /**
     * On the connection's IO thread: writes what is queued, joining neighbouring single frames into
     * batch messages. Cleared first, so frames queued meanwhile make the connection dirty again.
     */
    void flush() {
        dirty.set(false);
        List<Queued> run = new ArrayList<>();
        Queued next;
        while ((next = pending.poll()) != null) {
            if (next.joinable()) {
                run.add(next);
                continue;
            }
            writeJoined(run);
            run.clear();
            if (next.then() != null) {
                next.then().run();
            } else {
                write(next.message(), next.count(), next.control() ? 1 : 0);
            }
        }
        writeJoined(run);
    }

    private void writeJoined(List<Queued> run) {
        if (run.isEmpty()) {
            return;
        }
        if (run.size() == 1) {
            Queued only = run.get(0);
            write(only.message(), 1, only.control() ? 1 : 0);
            return;
        }
        List<ByteBuffer> frames = new ArrayList<>(run.size());
        run.forEach(q -> frames.add(q.message()));
        int first = 0;
        for (FrameBatch batch : FrameBatch.of(frames, batchBytes)) {
            int controls = 0;
            for (int i = first; i < first + batch.count(); i++) {
                controls += run.get(i).control() ? 1 : 0;
            }
            first += batch.count();
            // The joined message replaces its frames: charged as their sum, released as its size.
            int joinedOverhead = batch.message().remaining() - sumBytes(frames, first - batch.count(), first);
            queuedBytes.addAndGet(joinedOverhead);
            metrics.charged(joinedOverhead);
            write(batch.message(), batch.count(), controls);
        }
    }

    private static int sumBytes(List<ByteBuffer> frames, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += frames.get(i).remaining();
        }
        return n;
    }

    /**
     * Hands one WebSocket message carrying {@code count} frames ({@code controls} of them control
     * frames) to Undertow; they are released together, once: Undertow may report a failed frame more
     * than once while a channel closes.
     */
    private void write(ByteBuffer message, int count, int controls) {
        int size = message.remaining();
        AtomicBoolean done = new AtomicBoolean();
        WebSockets.sendText(message.duplicate(), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                if (done.compareAndSet(false, true)) {
                    released(size, count, controls, true);
                }
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                if (done.compareAndSet(false, true)) {
                    released(size, count, controls, false);
                }
            }
        });
    }

    private void released(int size, int count, int controls, boolean written) {
        controlQueued.addAndGet(-controls);
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
