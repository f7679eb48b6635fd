package io.roomcast.handover;

import io.roomcast.event.RoomEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The live events of one room that arrive while a subscription is still catching up from history,
 * bounded. The exact hand-over: history covers offsets below the hand-over offset L; this buffer
 * holds live events from L on; after history is delivered, {@link #drainAbove} yields the buffered
 * events above the last delivered offset — no gap, no duplicate. When the buffer overflows (more
 * events than its limit, or more than {@link #MAX_BYTES} of their data) it is dropped and marked,
 * and the caller reads more history up to a new hand-over offset instead.
 *
 * <p>Not thread-safe: the owner guards it (live dispatch appends, the catch-up drains).
 */
public final class HandoverBuffer {
    /**
     * The most event data one buffer holds: large events (a room of 60 KB messages) would otherwise
     * keep up to {@code limit} of them each, long after the history cache let them go. Reading them
     * from Kafka again is the cheaper way.
     */
    public static final long MAX_BYTES = 8L << 20;

    private final int limit;
    private final List<RoomEvent> events = new ArrayList<>();
    private long bytes;
    private boolean overflowed;

    public HandoverBuffer(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        this.limit = limit;
    }

    /** Adds a live event; returns false once the buffer has overflowed (and then holds nothing). */
    public boolean offer(RoomEvent event) {
        if (overflowed) {
            return false;
        }
        if (events.size() >= limit || bytes + event.data().length > MAX_BYTES) {
            overflowed = true;
            events.clear();
            bytes = 0;
            return false;
        }
        events.add(event);
        bytes += event.data().length;
        return true;
    }

    public boolean overflowed() {
        return overflowed;
    }

    public int size() {
        return events.size();
    }

    /**
     * The buffered events with offset greater than {@code lastDelivered}, in offset order, and
     * empties the buffer. Must not be called after an overflow: the buffer no longer holds every
     * live event.
     */
    public List<RoomEvent> drainAbove(long lastDelivered) {
        if (overflowed) {
            throw new IllegalStateException("buffer overflowed: read history up to a new hand-over offset instead");
        }
        List<RoomEvent> out = new ArrayList<>(events.size());
        long last = lastDelivered;
        for (RoomEvent e : events) {
            if (e.offset() > last) {
                out.add(e);
                last = e.offset();
            }
        }
        events.clear();
        bytes = 0;
        return out;
    }
}
