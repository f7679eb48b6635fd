package io.roomcast.history;

import io.roomcast.event.RoomEvent;

import java.util.List;

/**
 * A piece of a room's history read from the log.
 *
 * @param events the room's events found, in offset order
 * @param next   where to continue reading; at or beyond the requested end when the range is done
 */
public record HistoryChunk(List<RoomEvent> events, long next) {
    public HistoryChunk {
        events = List.copyOf(events);
    }
}
