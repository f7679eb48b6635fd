package io.roomcast.edge;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Edges on the shared test broker, isolated by a topic prefix of their own. */
final class EdgeFixture {
    private EdgeFixture() {
    }

    /** Namespaces whose topics are unique to one test: chat (4 partitions, history 50), logs, default. */
    static Namespaces isolatedNamespaces() {
        String prefix = TestNames.unique("t") + ".";
        return Namespaces.of(
                new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 50),
                new Namespace("logs", prefix + "logs", 2, Duration.ofDays(1), 1000),
                new Namespace(Namespace.DEFAULT_NAME, prefix + "events", 2, Duration.ofDays(1), 1000));
    }

    static EdgeServer start(Namespaces namespaces) {
        return start(namespaces, b -> b);
    }

    static EdgeServer start(Namespaces namespaces, UnaryOperator<EdgeConfig.Builder> customize) {
        return start(TestKafka.bootstrapServers(), namespaces, customize);
    }

    static EdgeServer start(String bootstrap, Namespaces namespaces, UnaryOperator<EdgeConfig.Builder> customize) {
        EdgeConfig.Builder builder = EdgeConfig.builder(bootstrap)
                .host("127.0.0.1").port(0).namespaces(namespaces);
        return EdgeServer.start(customize.apply(builder).build());
    }

    /** {@code count} distinct rooms of {@code namespace} that all land in the same partition as {@code anchor}. */
    static List<RoomName> roomsSharingPartitionWith(RoomName anchor, int partitions, int count) {
        int target = RoomPartitioner.partition(anchor, partitions);
        List<RoomName> rooms = new ArrayList<>();
        for (int i = 0; rooms.size() < count; i++) {
            RoomName candidate = RoomName.of(anchor.namespace() + ":other-" + i);
            if (RoomPartitioner.partition(candidate, partitions) == target) {
                rooms.add(candidate);
            }
        }
        return rooms;
    }
}
