package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A room's state as of {@code offset} ({@code snapshot} frame of a {@link From#snapshot()} subscription): the events
 * after {@code offset} follow. If {@link SubscriptionListener#onGap(Gap)} follows instead of a clean
 * {@code onSubscribed}, the snapshot does not connect to what follows: discard it and rebuild from the events.
 *
 * @param room   the room
 * @param offset the last event the state includes
 * @param epoch  the epoch {@code offset} belongs to
 * @param ts     when the snapshot was written, ms since the epoch
 * @param data   the state, as its writer wrote it
 */
public record Snapshot(String room, long offset, String epoch, long ts, JsonNode data) {

    public Snapshot {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(data, "data");
    }
}
