package io.roomcast.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.position.StartPoint;
import io.roomcast.room.RoomName;
import io.roomcast.topic.SideTopic;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The fixed layout of room snapshots (docs/snapshots.md), shared by the edges that read them and the writers: a
 * compacted topic keyed by room (UTF-8, Kafka's default partitioner places it), value
 * {@code {"offset":X,"epoch":"E","data":...}} where {@code offset} is the last event of the room the state includes,
 * {@code epoch} (optional) the epoch that offset belongs to, and {@code data} any JSON value. A tombstone deletes
 * the room's snapshot. Stateless and thread-safe.
 *
 * @param offset the last event the state includes (-1: before the first)
 * @param epoch  the epoch of {@code offset}, or null for "the room's current epoch"
 * @param data   the state
 */
public record SnapshotLayout(long offset, String epoch, JsonNode data) {
    public static final String DEFAULT_TOPIC = "roomcast.snapshots";
    public static final int DEFAULT_PARTITIONS = 8;
    /** How long a deleted snapshot's tombstone is kept for readers that catch up. */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(1);
    /**
     * The deepest a value may nest, itself counted: the protocol's 64 levels. The {@code snapshot} frame holds
     * {@code data} one level down, as the value does, so a value within this limit makes a frame within it.
     */
    public static final int MAX_DEPTH = 64;
    /** One JSON value, nothing after it, nested at most {@link #MAX_DEPTH} levels, no key twice in an object. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** @throws IllegalArgumentException for an offset below -1, or data nested deeper than edges deliver (they would skip it) */
    public SnapshotLayout {
        Objects.requireNonNull(data, "data");
        if (offset < -1) {
            throw new IllegalArgumentException("snapshot offset must be >= -1, was " + offset);
        }
        if (deeperThan(data, MAX_DEPTH - 1)) {
            throw new IllegalArgumentException("snapshot data must be nested at most " + (MAX_DEPTH - 1) + " levels");
        }
    }

    private static boolean deeperThan(JsonNode node, int levels) {
        if (!node.isContainerNode()) {
            return false;
        }
        if (levels == 0) {
            return true;
        }
        for (JsonNode child : node) {
            if (deeperThan(child, levels - 1)) {
                return true;
            }
        }
        return false;
    }

    /** The snapshot topic as Roomcast creates it: compacted, the newest snapshot of each room kept. */
    public static SideTopic sideTopic(String topic, int partitions) {
        return SideTopic.compacted(topic, partitions, TOMBSTONE_RETENTION);
    }

    /** The record value. */
    public byte[] encode() {
        ObjectNode v = JsonNodeFactory.instance.objectNode().put("offset", offset);
        if (epoch != null) {
            v.put("epoch", epoch);
        }
        v.set("data", data);
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The record that writes this snapshot of {@code room} into {@code topic}. */
    public ProducerRecord<byte[], byte[]> toRecord(String topic, RoomName room) {
        return new ProducerRecord<>(topic, room.keyBytes(), encode());
    }

    /** The record that deletes {@code room}'s snapshot (a tombstone). */
    public static ProducerRecord<byte[], byte[]> tombstone(String topic, RoomName room) {
        return new ProducerRecord<>(topic, room.keyBytes(), null);
    }

    /**
     * The snapshot a record value holds, or empty for a tombstone or a value that is not a snapshot: not one JSON value
     * (text after it too), nested deeper than {@link #MAX_DEPTH}, or without the fields above.
     */
    public static Optional<SnapshotLayout> decode(byte[] value) {
        if (value == null || startsWithByteOrderMark(value)) {
            return Optional.empty(); // a byte-order mark is not JSON here, as for a room's events (RFC 8259)
        }
        try {
            JsonNode v = JSON.readTree(value);
            if (v == null || !v.isObject() || !v.path("offset").isIntegralNumber() || !v.path("offset").canConvertToLong()
                    || v.path("offset").asLong() < -1 || v.path("offset").asLong() > StartPoint.MAX_POSITION || !v.has("data")) {
                return Optional.empty();
            }
            JsonNode epochField = v.get("epoch");
            if (epochField != null && !epochField.isNull() && !epochField.isTextual()) {
                return Optional.empty(); // an epoch of another type is a writer's mistake, not "the current epoch"
            }
            String epoch = epochField == null || epochField.isNull() ? null : epochField.textValue();
            return Optional.of(new SnapshotLayout(v.path("offset").asLong(), epoch, v.get("data")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithByteOrderMark(byte[] value) {
        return value.length >= 3 && value[0] == (byte) 0xEF && value[1] == (byte) 0xBB && value[2] == (byte) 0xBF;
    }
}
