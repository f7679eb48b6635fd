package io.roomcast.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.live.DispatchBatch;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One IO thread's part of the edge: its two buffers, the {@link Cork} every write of its connections
 * goes through and the read buffer every read of them goes into, and its flushes.
 *
 * <p>Writes on the IO thread that owns the connections: producers only queue frames in a connection's
 * {@link Outbound} and mark it dirty here; the IO thread then flushes every dirty connection of its
 * own, each in as few WebSocket messages as fit (several events leave in one write). Nothing waits
 * for company: a flush is scheduled as soon as the first frame is queued, and batches only what is
 * queued by the time it runs.
 *
 * <p>Two ways in. The live tail's thread, while it dispatches one poll's records (see
 * {@link DispatchBatch}), only gathers the connections it made dirty, per IO thread, and at the
 * batch's end gives each IO thread <em>one</em> task with its connections: nothing concurrent per
 * delivery, one task per IO thread per batch. Every other thread (workers, the heartbeat sweep,
 * the IO thread itself) puts the connection on the thread's concurrent dirty queue, and the first
 * since the last flush schedules one task.
 *
 * <p>Thread-safety: {@link #dirty} from any thread; flushes run on the IO thread. Each connection
 * is in at most one of the two (its {@code dirty} flag), once between flushes, so both are bounded
 * by the connections of the thread.
 */
public final class IoFlusher {
    /** Bytes of the thread's read buffer, shared by its connections: a read takes what fits and the next read the rest. */
    static final int READ_BUFFER_BYTES = 16 * 1024;

    private final XnioIoThread thread;
    private final PerThread owner;
    private final ConcurrentLinkedQueue<Outbound> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Cork cork = new Cork();
    /** The live tail's thread only: this thread's connections made dirty in the current dispatch batch. */
    private List<Outbound> gathered = new ArrayList<>();
    /** Made at the thread's first read: an edge that only writes (or a thread with no reads yet) holds none. */
    private ByteBuffer readBuffer;

    private IoFlusher(XnioIoThread thread, PerThread owner) {
        this.thread = thread;
        this.owner = owner;
        owner.bufferBytes.add(Cork.CAPACITY);
    }

    /**
     * Any thread: {@code outbound} has frames to write (it calls this once until it is flushed). While the
     * edge stops, the IO thread refuses tasks as it closes its connections: their close callbacks (on that
     * thread) release what is queued right here, and anything queued from another thread by then stays
     * unwritten with its connection.
     */
    void dirty(Outbound outbound) {
        if (Thread.currentThread() == owner.batchThread) {
            if (gathered.isEmpty()) {
                owner.touched.add(this);
            }
            gathered.add(outbound);
            return;
        }
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

    /** The live tail's thread, at a batch's end: one task gives the IO thread the batch's connections. */
    private void handOff() {
        List<Outbound> batch = gathered;
        gathered = new ArrayList<>(batch.size());
        owner.handedOff.increment(batch.size());
        try {
            thread.execute(() -> flush(batch));
        } catch (RejectedExecutionException terminating) {
            // The edge is stopping and the IO thread closes its connections (see dirty).
        }
    }

    /** On the IO thread. Cleared first, so a connection made dirty meanwhile schedules the next flush. */
    private void flush() {
        scheduled.set(false);
        cork.now = System.nanoTime();
        Outbound next;
        while ((next = dirty.poll()) != null) {
            next.flush(cork);
        }
    }

    /** On the IO thread: the connections of one dispatch batch. */
    private void flush(List<Outbound> batch) {
        cork.now = System.nanoTime();
        for (Outbound outbound : batch) {
            outbound.flush(cork);
        }
    }

    /**
     * The thread's read buffer, cleared, for a connection's read listener. The IO thread: a read empties
     * it (into the connection's frame decoder) before the thread reads another connection.
     */
    ByteBuffer readBuffer() {
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            owner.bufferBytes.add(READ_BUFFER_BYTES);
        }
        return readBuffer.clear();
    }

    /** The thread's write buffer, stamped with the time now, for a connection's write listener. The IO thread. */
    Cork stampedCork() {
        cork.now = System.nanoTime();
        return cork;
    }

    /**
     * The flushers of one edge, one per IO thread (bounded by Undertow's IO thread count), and the
     * live tail's {@link DispatchBatch}: connections made dirty by a dispatch are handed to their IO
     * threads at its end.
     */
    public static final class PerThread implements DispatchBatch {
        private final ConcurrentHashMap<XnioIoThread, IoFlusher> flushers = new ConcurrentHashMap<>();
        /** The live tail's thread while it dispatches a batch, else null. */
        private volatile Thread batchThread;
        /** The live tail's thread only: the flushers with connections gathered in this batch (at most one per IO thread). */
        private final List<IoFlusher> touched = new ArrayList<>();
        private final Counter handOffs;
        private final Counter handedOff;
        /** Direct memory the IO threads' corks and read buffers hold: at most IO threads × (128 + 16) KB. */
        private final LongAdder bufferBytes = new LongAdder();

        /** One per edge, before its live tail (which it is given to). Any thread. */
        public PerThread(MeterRegistry meters) {
            Gauge.builder("roomcast.io.buffer.bytes", bufferBytes, LongAdder::sum).baseUnit("bytes")
                    .description("direct memory of the IO threads' write and read buffers, shared by their connections").register(meters);
            this.handOffs = Counter.builder("roomcast.live.handoffs")
                    .description("tasks the live tail gave IO threads, one per IO thread per dispatch batch").register(meters);
            this.handedOff = Counter.builder("roomcast.live.handoff.connections")
                    .description("connections those tasks flushed (at most one entry per connection per task)").register(meters);
        }

        IoFlusher of(XnioIoThread thread) {
            return flushers.computeIfAbsent(thread, t -> new IoFlusher(t, this));
        }

        /** The live tail's thread. */
        @Override
        public void begin() {
            batchThread = Thread.currentThread();
        }

        /** The live tail's thread. */
        @Override
        public void end() {
            batchThread = null;
            handOffs.increment(touched.size());
            for (IoFlusher flusher : touched) {
                flusher.handOff();
            }
            touched.clear();
        }
    }
}
