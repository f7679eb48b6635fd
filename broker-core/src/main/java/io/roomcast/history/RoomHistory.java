package io.roomcast.history;

import io.roomcast.event.RoomEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent events of one room, a ring bounded in events (and, through the edge's
 * {@link CacheBudget}, in bytes). It holds <em>every</em> event of the room with offset at or
 * above {@link #coversFrom()}: the offset from which this edge has watched the room's partition
 * without interruption, raised whenever an old event is evicted.
 *
 * <p>Not thread-safe: guarded by the lock of the partition tail that feeds it.
 */
public final class RoomHistory {
    private final RoomEvent[] ring;
    private int start;
    private int size;
    private long coversFrom;
    private long bytes;

    /** An empty history that is complete from {@code coversFrom} on. */
    public RoomHistory(int capacity, long coversFrom) {
        this.ring = new RoomEvent[Math.max(0, capacity)];
        this.coversFrom = coversFrom;
    }

    /** Appends the next event of the room (events come in increasing offset order); returns the change in held bytes. */
    public long append(RoomEvent event) {
        if (ring.length == 0) {
            coversFrom = event.offset() + 1;
            return 0;
        }
        long before = bytes;
        if (size == ring.length) {
            evictOldest();
        }
        ring[(start + size) % ring.length] = event;
        size++;
        bytes += event.sizeBytes();
        return bytes - before;
    }

    /** Evicts the oldest event, raising {@link #coversFrom()} past it; returns the bytes freed (0 when empty). */
    public long evictOldest() {
        if (size == 0) {
            return 0;
        }
        RoomEvent evicted = ring[start];
        ring[start] = null;
        start = (start + 1) % ring.length;
        size--;
        coversFrom = evicted.offset() + 1;
        bytes -= evicted.sizeBytes();
        return evicted.sizeBytes();
    }

    public long coversFrom() {
        return coversFrom;
    }

    public int size() {
        return size;
    }

    /** Bytes held, by {@link RoomEvent#sizeBytes()}. */
    public long bytes() {
        return bytes;
    }

    /** The cached events with offset at or above {@code from}, in order. */
    public List<RoomEvent> from(long from) {
        List<RoomEvent> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            RoomEvent e = ring[(start + i) % ring.length];
            if (e.offset() >= from) {
                out.add(e);
            }
        }
        return out;
    }

    /** All cached events, in order. */
    public List<RoomEvent> all() {
        return from(Long.MIN_VALUE);
    }
}
