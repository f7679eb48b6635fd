package io.roomcast.edge.presence;

import io.roomcast.topic.SideTopic;

import java.time.Duration;
import java.util.Objects;

/**
 * Presence settings of an edge, validated once; documented in docs/operations.md.
 *
 * @param topic              the compacted presence topic (one lease per connection and room)
 * @param partitions         its partitions when Roomcast creates it
 * @param ttl                how long a lease lives unless renewed; leases are renewed every third of it,
 *                           so a member of a dead edge leaves at most {@code ttl} (plus a second) after its last renewal
 * @param maxListedMembers   above this many members a room's presence is reported as a count only
 * @param writesPerSecond    presence changes (enter, leave) one connection may cause per second
 * @param maxNameLength      the longest display name, in characters
 * @param maxLeases          leases one edge keeps in memory across all read partitions
 */
public record PresenceConfig(String topic, int partitions, Duration ttl, int maxListedMembers, int writesPerSecond,
                             int maxNameLength, int maxLeases) {
    /** The longest lease any edge writes: a lease claiming more is no edge's (a forged member that would never expire). */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    public PresenceConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("presence ttl must be 1s..1h, was " + ttl);
        }
        range("presence maxListedMembers", maxListedMembers, 0, 1_000_000);
        range("presence writesPerSecond", writesPerSecond, 1, 10_000);
        range("presence maxNameLength", maxNameLength, 1, 1_000);
        range("presence maxLeases", maxLeases, 1, 100_000_000);
        new SideTopic(topic, partitions, java.util.Map.of()); // validates name and partitions
    }

    public static PresenceConfig ofDefaults() {
        return new PresenceConfig("roomcast.presence", 8, Duration.ofSeconds(30), 500, 5, 64, 1_000_000);
    }

    public PresenceConfig withTtl(Duration v) {
        return new PresenceConfig(topic, partitions, v, maxListedMembers, writesPerSecond, maxNameLength, maxLeases);
    }

    public PresenceConfig withTopic(String v) {
        return new PresenceConfig(v, partitions, ttl, maxListedMembers, writesPerSecond, maxNameLength, maxLeases);
    }

    public PresenceConfig withMaxListedMembers(int v) {
        return new PresenceConfig(topic, partitions, ttl, v, writesPerSecond, maxNameLength, maxLeases);
    }

    public PresenceConfig withWritesPerSecond(int v) {
        return new PresenceConfig(topic, partitions, ttl, maxListedMembers, v, maxNameLength, maxLeases);
    }

    /** How often an edge rewrites its leases: a third of the TTL, so two renewals may be lost. */
    public Duration renewEvery() {
        return ttl.dividedBy(3);
    }

    /** The topic as broker-core creates it: compacted; tombstones kept for a day, so late readers see leaves. */
    public SideTopic sideTopic() {
        return SideTopic.compacted(topic, partitions, Duration.ofDays(1));
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
    }
}
