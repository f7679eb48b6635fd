package io.roomcast.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends events to a {@link FakeLog} from its own thread, round-robin over some rooms, as other Kafka producers
 * would, until {@link #close()} (which waits for the thread to end).
 */
final class FakeProducer implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;

    FakeProducer(FakeLog log, List<String> rooms) {
        thread = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                String room = rooms.get(i++ % rooms.size());
                log.append(room, "message", JsonNodeFactory.instance.objectNode().put("n", i), null);
                written.incrementAndGet();
                // a steady trickle, not a flood: the point is events in flight during failover
                java.util.concurrent.locks.LockSupport.parkNanos(500_000);
            }
        }, "fake-producer");
        thread.setDaemon(true);
        thread.start();
    }

    long written() {
        return written.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
