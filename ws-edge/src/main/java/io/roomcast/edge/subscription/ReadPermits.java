package io.roomcast.edge.subscription;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The history reads one connection may have outstanding at once; further reads wait here in
 * turn, so a client with many subscriptions doing bulk replays cannot fill the history readers'
 * queues ahead of other clients. At most one read per subscription waits, so the queue is bounded
 * by the connection's subscription limit.
 *
 * <p>Thread-safety: safe for concurrent use; a waiting read starts on the thread that releases
 * the permit it takes over (a history reader's thread), and must only submit work there.
 */
public final class ReadPermits {
    private final int limit;
    /** Made at the first read that waits: most connections never have one (idle connections). */
    private ArrayDeque<Runnable> waiting;
    private int inUse;

    public ReadPermits(int limit) {
        this.limit = limit;
    }

    /** Starts {@code read} now or once a permit is free; the permit is released when its future completes. */
    public <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> f;
            try {
                f = read.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((value, error) -> {
                release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        };
        synchronized (this) {
            if (inUse >= limit) {
                if (waiting == null) {
                    waiting = new ArrayDeque<>(2);
                }
                waiting.addLast(start);
                return result;
            }
            inUse++;
        }
        start.run();
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting == null ? null : waiting.pollFirst();
            if (next == null) {
                inUse--;
                return;
            }
        }
        next.run(); // the permit passes on
    }

    /** Reads waiting for a permit, for status. */
    public synchronized int waiting() {
        return waiting == null ? 0 : waiting.size();
    }
}
