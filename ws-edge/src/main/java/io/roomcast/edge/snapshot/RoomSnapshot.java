package io.roomcast.edge.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.position.Epoch;

import java.io.IOException;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The snapshot a record holds, or empty for a tombstone or a value that is not a snapshot. */
    static Optional<RoomSnapshot> decode(byte[] value, long timestamp) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode v = JSON.readTree(value);
            if (v == null || !v.isObject() || !v.path("offset").isIntegralNumber() || v.path("offset").asLong() < -1 || !v.has("data")) {
                return Optional.empty();
            }
            Epoch epoch = v.path("epoch").isTextual() ? new Epoch(v.path("epoch").textValue()) : null;
            return Optional.of(new RoomSnapshot(v.path("offset").asLong(), epoch, v.get("data"), timestamp));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
