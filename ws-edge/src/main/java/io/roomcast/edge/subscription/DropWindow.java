package io.roomcast.edge.subscription;

import io.roomcast.event.RoomEvent;

import java.util.ArrayDeque;

/**
 * The live events waiting for a slow subscriber under {@code drop-oldest} (a window of
 * {@code limit} events) or {@code latest-only} (a window of one): when it is full the oldest
 * event is dropped, and what was dropped is reported once, in a {@code dropped} frame sent before
 * the next event. Pure; not thread-safe: driven by the owning {@link HandoverMachine}.
 */
final class DropWindow {
    private final int limit;
    private final ArrayDeque<RoomEvent> waiting = new ArrayDeque<>(1);
    private long droppedCount;
    private long droppedFirst;
    private long droppedLast;

    DropWindow(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a drop window holds at least one event");
        }
        this.limit = limit;
    }

    /** Nothing waits and nothing dropped is unreported: a live event may go straight out. */
    boolean isClear() {
        return waiting.isEmpty() && droppedCount == 0;
    }

    /** Adds {@code event}, dropping the oldest waiting event when the window is full; true when one was dropped. */
    boolean add(RoomEvent event) {
        boolean dropped = false;
        if (waiting.size() >= limit) {
            RoomEvent oldest = waiting.pollFirst();
            if (droppedCount == 0) {
                droppedFirst = oldest.offset();
            }
            droppedCount++;
            droppedLast = oldest.offset();
            dropped = true;
        }
        waiting.addLast(event);
        return dropped;
    }

    /** What a {@code dropped} frame reports: {@code count} events with offsets in {@code [first, last]}. */
    record Dropped(long count, long first, long last) {
    }

    /** What was dropped since the last report, or null; reporting it resets the count. */
    Dropped takeDropped() {
        if (droppedCount == 0) {
            return null;
        }
        Dropped dropped = new Dropped(droppedCount, droppedFirst, droppedLast);
        droppedCount = 0;
        return dropped;
    }

    RoomEvent peek() {
        return waiting.peekFirst();
    }

    RoomEvent poll() {
        return waiting.pollFirst();
    }

    int size() {
        return waiting.size();
    }
}
