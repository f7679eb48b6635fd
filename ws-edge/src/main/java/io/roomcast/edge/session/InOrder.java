package io.roomcast.edge.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's writes on the shared worker, one after another in the order its IO thread
 * handed them over. The worker has several threads, which would race: a client's publishes to a
 * room would reach Kafka's producer, and so the room, in another order than it sent them. Holds at
 * most {@link #LIMIT} writes (the connection's publish and signal budgets keep it far below); beyond
 * that, or when the worker refuses, {@link #execute} throws {@link RejectedExecutionException}.
 *
 * <p>Thread-safety: {@link #execute} from any thread (the connection's IO thread in practice); the
 * writes run on worker threads, never two of this connection's at once.
 */
final class InOrder implements Executor {
    static final int LIMIT = 1_000;
    private static final Logger log = LoggerFactory.getLogger(InOrder.class);

    private final Executor worker;
    /** Guarded by {@code this}; made at the first write: most connections never publish. */
    private ArrayDeque<Runnable> queue;
    /** Guarded by {@code this}: a worker thread is draining the queue. */
    private boolean draining;

    InOrder(Executor worker) {
        this.worker = worker;
    }

    @Override
    public void execute(Runnable write) {
        synchronized (this) {
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            if (queue.size() >= LIMIT) {
                throw new RejectedExecutionException(LIMIT + " writes of this connection wait for the worker");
            }
            queue.addLast(write);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                // Nothing ran since draining was set: the queue holds this write alone.
                queue.clear();
                draining = false;
            }
            throw e;
        }
    }

    /** On a worker thread: runs the writes queued so far and any queued meanwhile. */
    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // Its answer is lost, not the connection's later writes: they must not wait behind it forever.
                log.atError().setCause(e).log("a connection's write failed unexpectedly");
            }
        }
    }
}
