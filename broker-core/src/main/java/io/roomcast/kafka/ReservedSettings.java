package io.roomcast.kafka;

import java.util.Set;

/**
 * Kafka client settings Roomcast's components (edge, model producer, log shipper) set themselves
 * and an operator may not change: ordering, exactly-once publishing and resume rest on them. An
 * operator's extra settings (security, TLS, timeouts, compression) are checked here, and a
 * reserved one is refused with a clear error rather than silently taking effect or being ignored.
 */
public final class ReservedSettings {
    /** The reserved settings' names. */
    public static final Set<String> NAMES = Set.of("bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "group.id", "group.instance.id", "enable.auto.commit", "auto.offset.reset", "enable.idempotence",
            "acks", "isolation.level", "partitioner.class", "transactional.id",
            // the model producer's group hands partitions over cooperatively: its take-over protocol relies on it
            "partition.assignment.strategy");

    private ReservedSettings() {
    }

    /** Throws {@link IllegalArgumentException} naming {@code name} when it is reserved. Any thread. */
    public static void check(String name) {
        if (NAMES.contains(name)) {
            throw new IllegalArgumentException("Kafka client setting '" + name + "' is set by Roomcast and cannot be changed");
        }
    }
}
