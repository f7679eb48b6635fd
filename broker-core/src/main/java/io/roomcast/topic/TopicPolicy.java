package io.roomcast.topic;

import io.roomcast.room.Namespace;
import org.apache.kafka.common.config.TopicConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one policy for every topic Roomcast creates, whichever process (edge, model producer, log
 * shipper) creates it first: the namespace's partitions and retention, the deployment's
 * replication factor and {@code min.insync.replicas}, unclean leader election off, and
 * compaction for the compacted topics. Configured once per deployment (the same
 * {@code --replication-factor} and {@code --min-insync-replicas} options, or the
 * {@code ROOMCAST_REPLICATION_FACTOR} and {@code ROOMCAST_MIN_INSYNC_REPLICAS} environment variables,
 * for every process). Immutable.
 *
 * @param replicationFactor  replicas of each partition; -1 leaves it to the broker's {@code default.replication.factor}
 * @param minInsyncReplicas  replicas that must have a write before it is acknowledged; -1 leaves it to the broker
 */
public record TopicPolicy(short replicationFactor, int minInsyncReplicas) {
    public static final String REPLICATION_FACTOR_ENV = "ROOMCAST_REPLICATION_FACTOR";
    public static final String MIN_INSYNC_REPLICAS_ENV = "ROOMCAST_MIN_INSYNC_REPLICAS";

    public TopicPolicy {
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("replication factor must be -1 (the broker's default) or at least 1, was " + replicationFactor);
        }
        if (minInsyncReplicas == 0 || minInsyncReplicas < -1) {
            throw new IllegalArgumentException("min.insync.replicas must be -1 (the broker's default) or at least 1, was " + minInsyncReplicas);
        }
        if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas + " above the replication factor "
                    + replicationFactor + " would refuse every write");
        }
    }

    /** Replication as the broker's defaults say (a single development broker). */
    public static TopicPolicy brokerDefaults() {
        return new TopicPolicy((short) -1, -1);
    }

    /** The production shape: three replicas, an acknowledged write is on two of them. */
    public static TopicPolicy replicated() {
        return new TopicPolicy((short) 3, 2);
    }

    /** The topic of a namespace: its partitions and retention, deleted (not compacted) when old. */
    public TopicSpec forNamespace(Namespace ns) {
        Map<String, String> configs = base();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ns.retention().toMillis()));
        return new TopicSpec(ns.topic(), ns.partitions(), replicationFactor, configs);
    }

    /**
     * A topic beside the room topics (presence leases, ephemeral signals, snapshots): its own
     * partitions and the configuration that gives it its meaning (compaction, short retention),
     * with the deployment's replication.
     */
    public TopicSpec forSideTopic(SideTopic side) {
        Map<String, String> configs = base();
        configs.putAll(side.configs());
        return new TopicSpec(side.name(), side.partitions(), replicationFactor, configs);
    }

    private Map<String, String> base() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (minInsyncReplicas > 0) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        }
        // An out-of-sync replica made leader would silently drop acknowledged events.
        configs.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
        return configs;
    }
}
