package io.roomcast.edge.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The tasks waiting for one outbound buffer to drain ({@link FrameSink#whenDrained}): the
 * WebSocket's {@link Outbound} and SSE's {@code SseChannel} keep one each, and an OpenAI answer's
 * stream ({@code CompletionStream}) one for the tasks that wait before its SSE channel opens.
 *
 * <p>The buffer releases bytes far more often than anyone waits, so {@link #drained} reads a
 * volatile flag and takes the lock only when a task was registered since. No wake-up is lost: a
 * waiter sets the flag before it asks whether the buffer has drained, and the buffer shrinks before
 * it reads the flag, so one of the two sees the other.
 *
 * <p>Thread-safety: safe for concurrent use. Tasks run on the thread that registers them (when the
 * buffer has drained already) or on the one that calls {@link #drained}; they must not block.
 */
public final class DrainWaiters {
    private static final Logger log = LoggerFactory.getLogger(DrainWaiters.class);

    // Guarded by this; made at the first wait (most buffers never have a waiter).
    private List<Runnable> tasks;
    private volatile boolean awaited;

    /**
     * Runs {@code task} at once if {@code drained} says the buffer has drained, or else once a later
     * {@link #drained} call finds it has. Any thread.
     */
    public void await(Runnable task, BooleanSupplier drained) {
        boolean now;
        synchronized (this) {
            awaited = true;
            now = drained.getAsBoolean();
            if (!now) {
                if (tasks == null) {
                    tasks = new ArrayList<>(2);
                }
                tasks.add(task);
            }
        }
        if (now) {
            task.run();
        }
    }

    /**
     * The buffer has drained: runs the waiting tasks, each once, in the order they came. A task that
     * throws is logged and does not keep the others from running. The thread that released the bytes.
     */
    public void drained() {
        if (!awaited) {
            return;
        }
        List<Runnable> ready;
        synchronized (this) {
            awaited = false;
            ready = tasks;
            tasks = null;
        }
        if (ready == null) {
            return;
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
