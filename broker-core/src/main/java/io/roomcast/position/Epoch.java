package io.roomcast.position;

import org.apache.kafka.common.Uuid;

import java.util.Objects;

/**
 * The name of one history of a room: derived from the topic id and the partition count, so it
 * changes when the topic is re-created (new id) or re-partitioned (rooms move partitions). A
 * position of another epoch cannot be resumed.
 */
public record Epoch(String value) {
    public Epoch {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("epoch must be 1..64 characters");
        }
    }

    /** Whether {@code value} can name an epoch (one written by someone else, a snapshot's say). */
    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= 64;
    }

    public static Epoch of(Uuid topicId, int partitions) {
        return new Epoch(topicId + "." + partitions);
    }

    @Override
    public String toString() {
        return value;
    }
}
