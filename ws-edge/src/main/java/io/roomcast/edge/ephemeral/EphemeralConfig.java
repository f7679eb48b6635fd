package io.roomcast.edge.ephemeral;

import io.roomcast.topic.SideTopic;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Ephemeral signal settings of an edge (typing, cursors), validated once; documented in docs/operations.md.
 *
 * @param topic           the short-retention topic; read live only, never replayed
 * @param partitions      its partitions when Roomcast creates it
 * @param retention       its {@code retention.ms}: signals are useless after seconds, so a minute by default
 * @param namespaces      the namespaces that allow ephemeral publishes ({@code ""} is the default namespace)
 * @param maxBytes        the largest {@code data} of one ephemeral publish
 * @param perSecond       ephemeral publishes one connection may make per second (apart from its publish limit)
 */
public record EphemeralConfig(String topic, int partitions, Duration retention, Set<String> namespaces, int maxBytes, int perSecond) {
    public EphemeralConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(retention, "retention");
        namespaces = Set.copyOf(namespaces);
        if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ephemeral retention must be at least 1s, was " + retention);
        }
        if (maxBytes < 1 || maxBytes > 1024 * 1024) {
            throw new IllegalArgumentException("ephemeral maxBytes must be 1..1048576, was " + maxBytes);
        }
        if (perSecond < 1 || perSecond > 100_000) {
            throw new IllegalArgumentException("ephemeral perSecond must be 1..100000, was " + perSecond);
        }
        new SideTopic(topic, partitions, java.util.Map.of()); // validates name and partitions
    }

    public static EphemeralConfig ofDefaults() {
        return new EphemeralConfig("roomcast.ephemeral", 8, Duration.ofMinutes(1), Set.of("chat", ""), 2048, 20);
    }

    public EphemeralConfig withTopic(String v) {
        return new EphemeralConfig(v, partitions, retention, namespaces, maxBytes, perSecond);
    }

    public EphemeralConfig withNamespaces(Set<String> v) {
        return new EphemeralConfig(topic, partitions, retention, v, maxBytes, perSecond);
    }

    public EphemeralConfig withLimits(int newMaxBytes, int newPerSecond) {
        return new EphemeralConfig(topic, partitions, retention, namespaces, newMaxBytes, newPerSecond);
    }

    public boolean allows(String namespace) {
        return namespaces.contains(namespace);
    }

    public SideTopic sideTopic() {
        return SideTopic.shortLived(topic, partitions, retention);
    }
}
