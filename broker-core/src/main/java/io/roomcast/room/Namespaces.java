package io.roomcast.room;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured namespaces, immutable. Defaults: {@code chat} → {@code roomcast.chat},
 * {@code logs} → {@code roomcast.logs}, the default namespace → {@code roomcast.events}.
 * A room whose namespace is not configured has no topic and is refused.
 */
public final class Namespaces {
    private final Map<String, Namespace> byName;

    private Namespaces(Map<String, Namespace> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Namespaces ofDefaults() {
        return of(
                new Namespace("chat", "roomcast.chat", 4, Duration.ofDays(7), 1000),
                new Namespace("logs", "roomcast.logs", 4, Duration.ofDays(1), 1000),
                new Namespace(Namespace.DEFAULT_NAME, "roomcast.events", 4, Duration.ofDays(7), 1000));
    }

    public static Namespaces of(Namespace... namespaces) {
        Map<String, Namespace> map = new LinkedHashMap<>();
        for (Namespace ns : namespaces) {
            if (map.put(ns.name(), ns) != null) {
                throw new IllegalArgumentException("namespace \"" + ns.name() + "\" is configured twice");
            }
        }
        return new Namespaces(map);
    }

    /** The same namespaces with every topic name prefixed, for isolating tests and tenants on one cluster. */
    public Namespaces withTopicPrefix(String prefix) {
        Map<String, Namespace> map = new LinkedHashMap<>();
        byName.forEach((name, ns) -> map.put(name, ns.withTopic(prefix + ns.topic())));
        return new Namespaces(map);
    }

    /** This set with {@code ns} added or replacing the namespace of the same name. */
    public Namespaces with(Namespace ns) {
        Map<String, Namespace> map = new LinkedHashMap<>(byName);
        map.put(ns.name(), ns);
        return new Namespaces(map);
    }

    /**
     * The configured namespace of that name, or else the standard one: topic {@code roomcast.NAME}
     * ({@code roomcast.events} for the default namespace; characters topic names may not hold,
     * such as {@code @} and {@code /}, become {@code _}), 4 partitions, 7 days, 1000 events,
     * lossless. The one namespace-to-topic mapping for every Roomcast process.
     */
    public Namespace orStandard(String name) {
        Namespace ns = byName.get(name);
        if (ns != null) {
            return ns;
        }
        String topic = "roomcast." + (name.isEmpty() ? "events" : name.replaceAll("[^A-Za-z0-9._-]", "_"));
        return new Namespace(name, topic, 4, Duration.ofDays(7), 1000);
    }

    public Optional<Namespace> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The namespace of {@code room}, or an {@link UnknownNamespaceException}. */
    public Namespace of(RoomName room) {
        Namespace ns = byName.get(room.namespace());
        if (ns == null) {
            throw new UnknownNamespaceException(room);
        }
        return ns;
    }

    public Collection<Namespace> all() {
        return byName.values();
    }
}
