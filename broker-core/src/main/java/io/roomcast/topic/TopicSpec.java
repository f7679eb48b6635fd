package io.roomcast.topic;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape {@link TopicPolicy} wants a topic to have.
 *
 * @param replicationFactor -1 for the broker's default
 * @param configs           topic-level configs (retention, cleanup policy, min ISR, ...)
 */
public record TopicSpec(String topic, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        Objects.requireNonNull(topic, "topic");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    public NewTopic newTopic() {
        return new NewTopic(topic, Optional.of(partitions), replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor))
                .configs(configs);
    }

    /**
     * How an existing topic differs from this shape, one readable line per difference (empty when
     * it matches). A replication factor of -1 is not checked: the broker chose it.
     *
     * @param actualConfigs the topic's effective configs, as describeConfigs reports them
     */
    public List<String> differences(TopicDescription actual, Map<String, String> actualConfigs) {
        List<String> out = new ArrayList<>();
        if (actual.partitions().size() != partitions) {
            out.add("partitions: wanted " + partitions + ", found " + actual.partitions().size());
        }
        if (replicationFactor > 0) {
            int found = actual.partitions().isEmpty() ? 0 : actual.partitions().get(0).replicas().size();
            if (found != replicationFactor) {
                out.add("replication factor: wanted " + replicationFactor + ", found " + found);
            }
        }
        configs.forEach((key, wanted) -> {
            String found = actualConfigs.get(key);
            if (!wanted.equals(found)) {
                out.add(key + ": wanted " + wanted + ", found " + found);
            }
        });
        return out;
    }
}
