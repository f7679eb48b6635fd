package io.roomcast.edge.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.position.Epoch;
import io.roomcast.snapshot.SnapshotLayout;

import java.util.Optional;

/**
 * A room's state as of {@code offset}, written by any producer to the snapshot topic: key = room,
 * value {@code {"offset":X,"epoch":"E","data":...}} ({@code epoch} optional: then the room's
 * current epoch is assumed).
 *
 * @param epoch     null when the writer gave none
 * @param timestamp the record's timestamp
 */
public record RoomSnapshot(long offset, Epoch epoch, JsonNode data, long timestamp) {
    /** The snapshot a record holds, or empty for a tombstone or a value that is not a snapshot (an epoch no edge could name included). */
    static Optional<RoomSnapshot> decode(byte[] value, long timestamp) {
        return SnapshotLayout.decode(value).filter(s -> s.epoch() == null || Epoch.isValid(s.epoch())).map(s -> new RoomSnapshot(s.offset(), s.epoch() == null ? null : new Epoch(s.epoch()),
                s.data(), timestamp));
    }
}
