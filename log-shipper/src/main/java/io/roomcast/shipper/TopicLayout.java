package io.roomcast.shipper;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.topic.TopicPolicy;
import io.roomcast.topic.TopicSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Kafka topic holds a room: by the room's namespace, with broker-core's defaults
 * ({@link Namespaces#ofDefaults()}: {@code logs} -> {@code roomcast.logs}, {@code chat} ->
 * {@code roomcast.chat}, the default namespace -> {@code roomcast.events}), any other namespace
 * {@code ns} -> {@code roomcast.ns}, and overrides from configuration. The topics are created through
 * broker-core's one {@link TopicPolicy}, with the namespace's partitions and retention (the
 * default namespace's for a namespace broker-core does not define). Immutable and thread-safe.
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
        String namespace = RoomName.of(room).namespace();
        Namespace shape = DEFAULTS.find(namespace).orElseGet(() -> DEFAULTS.find(Namespace.DEFAULT_NAME).orElseThrow());
        return policy.forNamespace(shape.withTopic(topic));
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
        // a namespace may hold @ and /, which topic names may not
        return DEFAULTS.find(namespace).map(Namespace::topic)
                .orElseGet(() -> "roomcast." + namespace.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    static void validateTopic(String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("invalid topic name '" + topic + "': use 1-249 characters of A-Z a-z 0-9 . _ -");
        }
    }
}
