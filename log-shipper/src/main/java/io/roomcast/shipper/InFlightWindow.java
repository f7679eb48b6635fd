package io.roomcast.shipper;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what is sent to Kafka but not yet acknowledged. The shipper thread reads new bytes only
 * while {@link #hasRoom()}; while Kafka is away the window fills, reading pauses and the files
 * themselves hold the backlog. Reading stops after the line that fills the window, so it overshoots by at most the
 * records that line completes (one, or two when it also ends a pending multiline record).
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

    int records() {
        return records.get();
    }

    long bytes() {
        return bytes.get();
    }
}
