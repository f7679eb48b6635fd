package io.roomcast.topic;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A topic beside the room topics (presence leases, ephemeral signals), created through
 * {@link TopicRegistry#ensure(SideTopic)} with the configuration that gives it its meaning.
 *
 * @param name       the Kafka topic
 * @param partitions partitions when Roomcast creates it; a room's records go to
 *                   {@code RoomPartitioner.partition(room, partitions)} of the existing topic
 * @param configs    topic configuration ({@code cleanup.policy}, {@code retention.ms}, ...)
 */
public record SideTopic(String name, int partitions, Map<String, String> configs) {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public SideTopic {
        Objects.requireNonNull(name, "name");
        if (!TOPIC.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid topic name \"" + name + "\"");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions of " + name + " must be 1..10000, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /**
     * The room directory ({@code roomcast.rooms}): one partition, compacted to one entry per room. The edges and the log
     * shipper create it alike, whichever comes first.
     */
    public static SideTopic directory(String name) {
        return new SideTopic(name, 1, Map.of("cleanup.policy", "compact"));
    }

    /**
     * A compacted topic keyed per entry, whose tombstones are kept for {@code tombstoneRetention}
     * so that a reader catching up from the beginning still sees recent removals. Segments roll
     * hourly so that compaction can run at all on a small topic.
     */
    public static SideTopic compacted(String name, int partitions, Duration tombstoneRetention) {
        return new SideTopic(name, partitions, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", Long.toString(tombstoneRetention.toMillis()),
                "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                "min.cleanable.dirty.ratio", "0.1"));
    }

    /** A topic whose records are deleted after {@code retention}: read live only. */
    public static SideTopic shortLived(String name, int partitions, Duration retention) {
        return new SideTopic(name, partitions, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retention.toMillis()),
                "segment.ms", Long.toString(Math.max(retention.toMillis(), Duration.ofMinutes(1).toMillis()))));
    }
}
