package io.roomcast.kafka.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link KafkaCluster}.
 *
 * @param host              the address every node binds and advertises
 * @param firstPort         client port of node 1; node {@code n} listens on {@code firstPort + n - 1}.
 *                          0 picks free ports at first start and keeps them
 * @param dataDir           one sub-directory per node; reused across restarts
 * @param nodes             how many combined broker+controller nodes (the controller quorum has them all)
 * @param defaultPartitions partitions of topics created without an explicit count
 * @param jvmOptions        options of each node's JVM (heap, GC)
 * @param overrides         any further broker properties, applied last to every node
 */
public record KafkaClusterConfig(String host, int firstPort, Path dataDir, int nodes, int defaultPartitions,
                                 List<String> jvmOptions, Map<String, String> overrides) {
    /** A small heap and the serial collector: three brokers share a laptop or a CI runner. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC");

    public KafkaClusterConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be 1..9, was " + nodes);
        }
        if (firstPort < 0 || firstPort + nodes - 1 > 65535) {
            throw new IllegalArgumentException("firstPort must be 0 or leave room for " + nodes + " ports, was " + firstPort);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
        }
        jvmOptions = List.copyOf(jvmOptions);
        overrides = Map.copyOf(overrides);
    }

    public static KafkaClusterConfig of(int nodes, Path dataDir) {
        return new KafkaClusterConfig("127.0.0.1", 0, dataDir, nodes, 4, DEFAULT_JVM_OPTIONS, Map.of());
    }

    /** Replication factor of the cluster's topics: 3, or every node when there are fewer. */
    public int replicationFactor() {
        return Math.min(3, nodes);
    }

    /**
     * {@code min.insync.replicas}: 2 at replication factor 3, so one broker may fail without
     * stopping writes and an acknowledged write is on two brokers; 1 below that.
     */
    public int minInsyncReplicas() {
        return Math.max(1, Math.min(2, replicationFactor() - 1));
    }
}
