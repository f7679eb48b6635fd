package io.roomcast.edge.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs connections' queued writes on their own Undertow IO thread, many connections per wake-up.
 * A frame sent from another thread (the live tail, a worker) makes Undertow take the channel's
 * locks and hand its flush to the IO thread anyway: one task and one selector wake-up per frame
 * and connection. Here other threads only queue; one task per IO thread then writes whatever has
 * queued meanwhile for all of that thread's connections, joined into batch messages.
 *
 * <p>Threading: {@link #schedule} from any thread. Each connection is queued at most once until
 * its flush runs, so the queues are bounded by the number of connections; there is one writer
 * per IO thread of the edge.
 */
public final class IoWriters {
    private static final Logger log = LoggerFactory.getLogger(IoWriters.class);
    private final Map<XnioIoThread, Writer> writers = new ConcurrentHashMap<>();

    /** Flushes {@code outbound} on its IO thread soon; the caller makes sure it is not queued twice. */
    void schedule(Outbound outbound) {
        writers.computeIfAbsent(outbound.ioThread(), Writer::new).schedule(outbound);
    }

    private static final class Writer implements Runnable {
        private final XnioIoThread thread;
        private final ConcurrentLinkedQueue<Outbound> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Writer(XnioIoThread thread) {
            this.thread = thread;
        }

        void schedule(Outbound outbound) {
            ready.add(outbound);
            if (scheduled.compareAndSet(false, true)) {
                try {
                    thread.execute(this);
                } catch (RejectedExecutionException e) {
                    // The edge is stopping and its IO threads with it: nothing will be written any more.
                    scheduled.set(false);
                }
            }
        }

        @Override
        public void run() {
            // Cleared first: a connection queued while this runs either is drained below or schedules another run.
            scheduled.set(false);
            Outbound next;
            while ((next = ready.poll()) != null) {
                try {
                    next.flush();
                } catch (RuntimeException e) {
                    log.atError().setCause(e).log("writing to a connection failed");
                }
            }
        }
    }
}
