package io.roomcast.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the components a command started until Ctrl-C or SIGTERM, then stops them in reverse
 * order of start (the JVM's shutdown hook), so that edges drain before Kafka goes away.
 */
final class Shutdown {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Shutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "roomcast-shutdown"));
    }

    <T extends AutoCloseable> T started(T component) {
        synchronized (started) {
            started.push(component);
        }
        return component;
    }

    /** Blocks the calling thread until shutdown has completed. */
    int await() throws InterruptedException {
        stopped.await();
        return 0;
    }

    private void stopAll() {
        synchronized (started) {
            while (!started.isEmpty()) {
                AutoCloseable c = started.pop();
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("error while stopping " + c + ": " + e);
                }
            }
        }
        stopped.countDown();
    }
}
