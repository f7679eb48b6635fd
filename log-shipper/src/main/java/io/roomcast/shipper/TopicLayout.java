package io.roomcast.shipper;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Kafka topic holds a room: by the room's namespace, with broker-core's defaults
 * ({@link Namespaces#ofDefaults()}: {@code logs} -> {@code roomcast.logs}, {@code chat} ->
 * {@code roomcast.chat}, the default namespace -> {@code roomcast.events}), any other namespace
 * {@code ns} -> {@code roomcast.ns}, and overrides from configuration. Immutable and thread-safe.
 */
public final class TopicLayout {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Namespaces DEFAULTS = Namespaces.ofDefaults();
    private final Map<String, String> overrides;

    private TopicLayout(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    public static TopicLayout defaults() {
        return new TopicLayout(Map.of());
    }

    /** The defaults with {@code namespace -> topic} overrides ({@code ""} is the default namespace). */
    public static TopicLayout of(Map<String, String> overrides) {
        Map<String, String> copy = new HashMap<>();
        overrides.forEach((ns, topic) -> {
            validateTopic(topic);
            copy.put(ns, topic);
        });
        return new TopicLayout(copy);
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
