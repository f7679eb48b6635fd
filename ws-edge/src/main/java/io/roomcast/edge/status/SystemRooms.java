package io.roomcast.edge.status;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;

import java.time.Duration;

/**
 * The system namespace {@code sys}: rooms where edges (and model producers) report their figures,
 * such as {@code sys:edges}. Clients may subscribe (as the auth configuration allows) but never
 * publish: only Roomcast's own components write there, straight to Kafka.
 */
public final class SystemRooms {
    public static final String NAMESPACE = "sys";
    public static final RoomName EDGES = RoomName.of("sys:edges");
    public static final RoomName PRODUCERS = RoomName.of("sys:producers");

    private SystemRooms() {
    }

    /** Whether clients are refused publishing into {@code room}. */
    public static boolean readOnly(RoomName room) {
        return NAMESPACE.equals(room.namespace());
    }

    /**
     * {@code namespaces} with the system namespace added when it is not configured: one partition,
     * one day of retention, topic beside the default namespace's ({@code roomcast.events} gives
     * {@code roomcast.sys}; a prefixed {@code t1.events} gives {@code t1.sys}).
     */
    public static Namespaces including(Namespaces namespaces) {
        if (namespaces.find(NAMESPACE).isPresent()) {
            return namespaces;
        }
        String defaultTopic = namespaces.find(Namespace.DEFAULT_NAME).map(Namespace::topic).orElse("roomcast.events");
        int dot = defaultTopic.lastIndexOf('.');
        String topic = (dot < 0 ? "roomcast." : defaultTopic.substring(0, dot + 1)) + NAMESPACE;
        return namespaces.with(new Namespace(NAMESPACE, topic, 1, Duration.ofDays(1), 1000));
    }
}
