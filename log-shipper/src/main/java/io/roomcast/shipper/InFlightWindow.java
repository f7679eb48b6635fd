package io.roomcast.shipper;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what is sent to Kafka but not yet acknowledged. The shipper thread reads new bytes only
 * while {@link #hasRoom()}; while Kafka is away the window fills, reading pauses and the files
 * themselves hold the backlog. A read is sized to the bytes that still fit, so the window overshoots by at most one small
 * read and one record.
 * Thread-safe: acquired by the shipper thread, released by the producer's callback thread.
 */
final class InFlightWindow {
    private final int maxRecords;
    private final long maxBytes;
    private final Runnable onRoom;
    private final AtomicInteger records = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    InFlightWindow(int maxRecords, long maxBytes, Runnable onRoom) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.onRoom = onRoom;
    }

    boolean hasRoom() {
        return records.get() < maxRecords && bytes.get() < maxBytes;
    }

    void acquire(int size) {
        records.incrementAndGet();
        bytes.addAndGet(size);
    }

    void release(int size) {
        boolean wasFull = !hasRoom();
        records.decrementAndGet();
        bytes.addAndGet(-size);
        if (wasFull && hasRoom()) {
            onRoom.run();
        }
    }

    /** How many more bytes fit (at least 0). */
    long roomBytes() {
        return Math.max(0, maxBytes - bytes.get());
    }

    int records() {
        return records.get();
    }

    long bytes() {
        return bytes.get();
    }
}
