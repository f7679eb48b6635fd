package io.roomcast.live;

import io.roomcast.event.RoomEvent;

/**
 * Receives a room's live events from a {@link LiveTail}.
 *
 * <p>Threading: called on the live tail's thread while it holds the partition's lock, in offset
 * order. Must not block — every room of every partition waits on the tail's one thread — and
 * must not wait for a lock whose holder may itself wait for the partition's lock: hand the event
 * to a bounded buffer (or refuse it) and return.
 */
@FunctionalInterface
public interface LiveListener {
    void onLive(RoomEvent event);

    /**
     * The tail lost its place in the room's partition — the log was re-created (a new epoch) or
     * truncated below it, or retention removed what it had not read — so no further live events
     * will come to this listener, which is no longer registered. A subscriber must resume from its
     * last position to learn what it lost. Called once, on the tail's thread, without its locks.
     */
    default void onLiveLost(String reason) {
    }

    /**
     * Whether this listener has ended without being able to unregister itself (it ended while
     * holding a lock that must not be held when taking the partition's lock). The tail drops
     * ended listeners when their room's next event comes. Called on the tail's thread.
     */
    default boolean ended() {
        return false;
    }
}
