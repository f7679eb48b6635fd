package io.roomcast.edge.snapshot;

import io.roomcast.snapshot.SnapshotLayout;
import io.roomcast.topic.SideTopic;

import java.time.Duration;
import java.util.Objects;

/**
 * Room snapshot settings of an edge; documented in docs/operations.md.
 *
 * @param topic      the compacted snapshot topic, keyed by room
 * @param partitions its partitions when Roomcast creates it
 * @param maxBytes   the largest snapshot an edge delivers; a larger one is ignored (the subscription falls back)
 * @param timeout    how long a lookup may read the room's snapshot partition before it falls back
 */
public record SnapshotConfig(String topic, int partitions, int maxBytes, Duration timeout) {
    public SnapshotConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timeout, "timeout");
        if (maxBytes < 1 || maxBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("snapshot maxBytes must be 1..67108864, was " + maxBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("snapshot timeout must be positive");
        }
        new SideTopic(topic, partitions, java.util.Map.of()); // validates name and partitions
    }

    public static SnapshotConfig ofDefaults() {
        return new SnapshotConfig(SnapshotLayout.DEFAULT_TOPIC, SnapshotLayout.DEFAULT_PARTITIONS, 1024 * 1024, Duration.ofSeconds(5));
    }

    public SnapshotConfig withTopic(String v) {
        return new SnapshotConfig(v, partitions, maxBytes, timeout);
    }

    /** Compacted: the newest snapshot of each room is kept; deleted ones (tombstones) for a day. */
    public SideTopic sideTopic() {
        return SnapshotLayout.sideTopic(topic, partitions);
    }
}
