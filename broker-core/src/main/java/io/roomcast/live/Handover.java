package io.roomcast.live;

import io.roomcast.event.RoomEvent;

import java.util.List;

/**
 * A fixed hand-over point of one listener: history is everything of the room below
 * {@code offset}; live dispatch delivers everything from it on.
 *
 * @param offset          the hand-over offset L (the partition's next offset to dispatch)
 * @param cached          the events of the room in the edge's history cache below L, in order
 * @param cacheCoversFrom the cache holds every event of the room from this offset up to L
 */
public record Handover(long offset, List<RoomEvent> cached, long cacheCoversFrom) {
    public Handover {
        cached = List.copyOf(cached);
    }
}
