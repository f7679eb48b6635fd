package io.roomcast.shipper;

import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.topic.SideTopic;
import io.roomcast.topic.TopicPolicy;
import io.roomcast.topic.TopicSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Kafka topic holds a room: broker-core's namespace-to-topic mapping
 * ({@link Namespaces#orStandard}: {@code logs} -> {@code roomcast.logs}, {@code chat} ->
 * {@code roomcast.chat}, the default namespace -> {@code roomcast.events}, any other namespace
 * {@code ns} -> {@code roomcast.ns}), with overrides from configuration. The topics are created
 * through broker-core's one {@link TopicPolicy}, with the namespace's partitions and retention.
 * Immutable and thread-safe.
 */
public final class TopicLayout {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Namespaces DEFAULTS = Namespaces.ofDefaults();
    private final Map<String, String> overrides;
    private final TopicPolicy policy;

    private TopicLayout(Map<String, String> overrides, TopicPolicy policy) {
        this.overrides = Map.copyOf(overrides);
        this.policy = policy;
    }

    public static TopicLayout defaults() {
        return new TopicLayout(Map.of(), TopicPolicy.brokerDefaults());
    }

    /** This layout creating its topics with {@code newPolicy}. */
    public TopicLayout withPolicy(TopicPolicy newPolicy) {
        return new TopicLayout(overrides, newPolicy);
    }

    /** How {@code topic}, holding {@code room}, is created when missing. */
    public TopicSpec specFor(String room, String topic) {
        return policy.forNamespace(DEFAULTS.orStandard(RoomName.of(room).namespace()).withTopic(topic));
    }

    /** How {@code side}, a topic beside the room topics, is created when missing: with the same replication. */
    public TopicSpec specFor(SideTopic side) {
        return policy.forSideTopic(side);
    }

    /** The defaults with {@code namespace -> topic} overrides ({@code ""} is the default namespace). */
    public static TopicLayout of(Map<String, String> overrides) {
        Map<String, String> copy = new HashMap<>();
        overrides.forEach((ns, topic) -> {
            validateTopic(topic);
            copy.put(ns, topic);
        });
        return new TopicLayout(copy, TopicPolicy.brokerDefaults());
    }

    public String topicFor(String room) {
        String namespace = RoomName.of(room).namespace();
        String topic = overrides.get(namespace);
        if (topic != null) {
            return topic;
        }
        return DEFAULTS.orStandard(namespace).topic();
    }

    static void validateTopic(String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("invalid topic name '" + topic + "': use 1-249 characters of A-Z a-z 0-9 . _ -");
        }
    }
}
