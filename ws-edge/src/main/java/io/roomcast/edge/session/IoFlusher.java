package io.roomcast.edge.session;

import org.xnio.XnioIoThread;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes on the IO thread that owns the connections: the live thread (or a worker) only queues
 * frames in a connection's {@link Outbound} and marks it dirty here; one task per IO thread per
 * burst then flushes every dirty connection of that thread, each in as few WebSocket messages as
 * fit (several events leave in one write). Nothing waits for company: a flush is scheduled as soon
 * as the first frame is queued, and batches only what is queued by the time it runs.
 *
 * <p>Thread-safety: {@link #dirty} from any thread; the flush runs on the IO thread. The dirty
 * queue holds each connection at most once between flushes, so it is bounded by the connections
 * of the thread.
 */
public final class IoFlusher {
    private final XnioIoThread thread;
    private final ConcurrentLinkedQueue<Outbound> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Cork cork = new Cork();

    private IoFlusher(XnioIoThread thread) {
        this.thread = thread;
    }

    /**
     * Any thread: {@code outbound} has frames to write (it calls this once until it is flushed). While the
     * edge stops, the IO thread refuses tasks as it closes its connections: their close callbacks (on that
     * thread) release what is queued right here, and anything queued from another thread by then stays
     * unwritten with its connection.
     */
    void dirty(Outbound outbound) {
        dirty.add(outbound);
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::flush);
            } catch (RejectedExecutionException terminating) {
                scheduled.set(false);
                if (Thread.currentThread() == thread) {
                    flush();
                }
            }
        }
    }

    /** On the IO thread. Cleared first, so a connection made dirty meanwhile schedules the next flush. */
    private void flush() {
        scheduled.set(false);
        Outbound next;
        while ((next = dirty.poll()) != null) {
            next.flush(cork);
        }
    }

    /** The thread's write buffer, for a connection's write listener. The IO thread. */
    Cork cork() {
        return cork;
    }

    /** The flushers of one edge, one per IO thread (bounded by Undertow's IO thread count). */
    public static final class PerThread {
        private final ConcurrentHashMap<XnioIoThread, IoFlusher> flushers = new ConcurrentHashMap<>();

        /** One registry per edge; connections look up their IO thread's flusher when they open (IO thread). */
        public PerThread() {
        }

        IoFlusher of(XnioIoThread thread) {
            return flushers.computeIfAbsent(thread, IoFlusher::new);
        }
    }
}
