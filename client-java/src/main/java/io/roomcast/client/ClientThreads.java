package io.roomcast.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one client. The loop (all protocol state) is a {@link SerialExecutor} over the scheduler; listener
 * callbacks, state changes and publish results run on the listener executor. Either may be injected through
 * {@link ClientOptions}; otherwise the client owns one daemon thread for each ({@code roomcast-client-N} and
 * {@code roomcast-client-N-listener}) and stops them on close.
 */
final class ClientThreads {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final long AWAIT_SECONDS = 5;

    private final ScheduledExecutorService scheduler;
    private final ScheduledThreadPoolExecutor ownedScheduler;
    private final Executor listenerExecutor;
    private final ExecutorService ownedListener;
    private final SerialExecutor loop;
    private final SerialExecutor callbacks;
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();

    ClientThreads(ClientOptions options) {
        String name = "roomcast-client-" + CLIENTS.incrementAndGet();
        if (options.scheduler().isPresent()) {
            scheduler = options.scheduler().get();
            ownedScheduler = null;
        } else {
            ownedScheduler = new ScheduledThreadPoolExecutor(1, threadFactory(name));
            ownedScheduler.setRemoveOnCancelPolicy(true);
            ownedScheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler = ownedScheduler;
        }
        if (options.listenerExecutor().isPresent()) {
            listenerExecutor = options.listenerExecutor().get();
            ownedListener = null;
        } else {
            ownedListener = Executors.newSingleThreadExecutor(threadFactory(name + "-listener"));
            listenerExecutor = ownedListener;
        }
        loop = new SerialExecutor(scheduler, name + " loop");
        callbacks = new SerialExecutor(listenerExecutor, name + " callbacks");
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    SerialExecutor loop() {
        return loop;
    }

    Executor listenerExecutor() {
        return listenerExecutor;
    }

    /** State changes and publish results, in order. */
    SerialExecutor callbacks() {
        return callbacks;
    }

    /** Stops the owned threads once their queued work is done. */
    void shutdown() {
        if (ownedListener != null) {
            ownedListener.shutdown();
        }
        if (ownedScheduler != null) {
            ownedScheduler.shutdown();
        }
    }

    /** Waits a little for the owned threads to finish, unless called from one of them (which would wait for itself). */
    void awaitTermination() {
        if (ownThreads.contains(Thread.currentThread())) {
            return;
        }
        try {
            if (ownedScheduler != null) {
                ownedScheduler.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS);
            }
            if (ownedListener != null) {
                ownedListener.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ThreadFactory threadFactory(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            ownThreads.add(t);
            return t;
        };
    }
}
