package io.roomcast.edge.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** A worker executor that only queues tasks (the test runs them, or not), or refuses them as a full queue does. */
final class QueuedWorker extends AbstractExecutorService {
    private final List<Runnable> tasks = new ArrayList<>();
    private volatile boolean full;

    void full(boolean full) {
        this.full = full;
    }

    synchronized int queued() {
        return tasks.size();
    }

    /** Runs the queued tasks (and those they queue) on the calling thread. */
    void runAll() {
        while (true) {
            Runnable next;
            synchronized (this) {
                if (tasks.isEmpty()) {
                    return;
                }
                next = tasks.remove(0);
            }
            next.run();
        }
    }

    @Override
    public synchronized void execute(Runnable command) {
        if (full) {
            throw new RejectedExecutionException("queue full");
        }
        tasks.add(command);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
