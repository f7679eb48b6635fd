package io.roomcast.handover;

import io.roomcast.event.RoomEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The live events of one room that arrive while a subscription is still catching up from history,
 * bounded. The exact hand-over: history covers offsets below the hand-over offset L; this buffer
 * holds live events from L on; after history is delivered, {@link #drainAbove} yields the buffered
 * events above the last delivered offset — no gap, no duplicate. When the buffer overflows it is
 * dropped and marked, and the caller reads more history up to a new hand-over offset instead.
 *
 * <p>Not thread-safe: the owner guards it (live dispatch appends, the catch-up drains).
 */
public final class HandoverBuffer {
    private final int limit;
    private final List<RoomEvent> events = new ArrayList<>();
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
        if (events.size() >= limit) {
            overflowed = true;
            events.clear();
            return false;
        }
        events.add(event);
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
        return out;
    }
}
