package io.roomcast.live;

import io.roomcast.event.RoomEvent;

/**
 * Receives a room's live events from a {@link LiveTail}.
 *
 * <p>Threading: called on the live tail's thread while it holds the partition's lock, in offset
 * order. Must not block: hand the event to a bounded buffer and return.
 */
@FunctionalInterface
public interface LiveListener {
    void onLive(RoomEvent event);
}
