package io.roomcast.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on any {@link Executor} (possibly multi-threaded): what gives each
 * subscription its ordered, never-concurrent delivery, and the client its single-threaded loop. A task that throws
 * is logged and does not stop the tasks after it. Its queue is bounded by its callers: the loop's by the client's
 * limits, a subscription's by {@link DeliveryBudget}.
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run per turn before yielding the thread, so one busy subscription cannot starve others on a shared pool. */
    private static final int BURST = 256;

    private final Executor executor;
    private final String name;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor executor, String name) {
        this.executor = executor;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the executor is shut down (the client closed): finish the last tasks here, still one at a time
                drain();
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BURST; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.atError().setCause(e).addKeyValue("executor", name).log("task failed");
                }
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }
}
