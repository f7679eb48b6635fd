package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume after a disconnect: exactly the missed events, in order, no gap, no duplicate — from the
 * history cache, from Kafka when the gap is larger than the cache, and on another edge.
 */
class EdgeResumeIT {
    private static Namespaces namespaces;
    private static EdgeServer edge;
    private static EdgeServer otherEdge;
    private static KafkaRoom kafka;

    @BeforeAll
    static void start() {
        namespaces = EdgeFixture.isolatedNamespaces(); // chat keeps 50 events per room in the cache
        edge = EdgeFixture.start(namespaces);
        otherEdge = EdgeFixture.start(namespaces);
        kafka = new KafkaRoom(namespaces);
    }

    @AfterAll
    static void stop() {
        kafka.close();
        edge.close();
        otherEdge.close();
    }

    /** Subscribes live, reads {@code count} events, disconnects; returns the position {offset, epoch}. */
    private static Object[] readSomeThenDisconnect(RoomName room, int count) {
        try (WsClient c = WsClient.connect(edge.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            String epoch = c.nextOp("subscribed").path("epoch").asText();
            c.nextOp("live");
            List<Long> offsets = kafka.messages(room, count);
            List<JsonNode> events = c.events(count);
            assertThat(events).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets);
            return new Object[]{offsets.get(offsets.size() - 1), epoch};
        }
    }

    /** While the client is away: {@code missed} events in the room, interleaved with events of other rooms of its partition. */
    private static List<Long> publishWhileAway(RoomName room, int missed) {
        List<RoomName> neighbours = EdgeFixture.roomsSharingPartitionWith(room, 4, 3);
        List<Long> offsets = new java.util.ArrayList<>();
        for (int i = 0; i < missed; i++) {
            kafka.json(neighbours.get(i % neighbours.size()), "{\"noise\":" + i + "}");
            offsets.add(kafka.json(room, "{\"missed\":" + i + "}"));
        }
        return offsets;
    }

    private static void assertExactResume(EdgeServer server, RoomName room, Object[] position, List<Long> missed) {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":7,\"room\":\"" + room + "\",\"from\":{\"after\":" + position[0]
                    + ",\"epoch\":\"" + position[1] + "\"}}");
            JsonNode subscribed = c.nextOp("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.has("gap")).isFalse();
            assertThat(subscribed.path("epoch").asText()).isEqualTo(position[1]);

            List<JsonNode> history = c.until(n -> n.path("op").asText().equals("live"));
            JsonNode live = history.remove(history.size() - 1);
            assertThat(history).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(missed);
            assertThat(history).allMatch(e -> e.path("room").asText().equals(room.value()));
            assertThat(live.path("offset").asLong()).isGreaterThanOrEqualTo(missed.get(missed.size() - 1));

            long next = kafka.json(room, "{\"after\":\"resume\"}");
            assertThat(c.events(1).get(0).path("offset").asLong()).isEqualTo(next);
        }
    }

    private static double replayed(EdgeServer server, String source) {
        return server.meters().counter("roomcast.replay.events", "source", source).count();
    }

    @Test
    void shouldResumeExactlyFromTheHistoryCache() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("cached"));
        Object[] position = readSomeThenDisconnect(room, 10);
        List<Long> missed = publishWhileAway(room, 30);
        double fromKafkaBefore = replayed(edge, "kafka");

        assertExactResume(edge, room, position, missed);

        assertThat(replayed(edge, "kafka")).isEqualTo(fromKafkaBefore);
    }

    @Test
    void shouldResumeExactlyFromKafkaWhenTheGapIsLargerThanTheCache() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("deep"));
        Object[] position = readSomeThenDisconnect(room, 10);
        List<Long> missed = publishWhileAway(room, 400);
        double fromKafkaBefore = replayed(edge, "kafka");

        assertExactResume(edge, room, position, missed);

        assertThat(replayed(edge, "kafka") - fromKafkaBefore).isGreaterThanOrEqualTo(350);
    }

    @Test
    void shouldResumeExactlyOnAnotherEdge() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("moved"));
        Object[] position = readSomeThenDisconnect(room, 10);
        List<Long> missed = publishWhileAway(room, 120);

        assertExactResume(otherEdge, room, position, missed);
    }

    @Test
    void shouldResumeWithNothingMissedAndThenGoLive() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("uptodate"));
        Object[] position = readSomeThenDisconnect(room, 3);
        try (WsClient c = WsClient.connect(otherEdge.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":7,\"room\":\"" + room + "\",\"from\":{\"after\":" + position[0]
                    + ",\"epoch\":\"" + position[1] + "\"}}");
            assertThat(c.nextOp("subscribed").path("recovered").asBoolean()).isTrue();
            assertThat(c.next().path("op").asText()).isEqualTo("live");
            long next = kafka.json(room, "{}");
            assertThat(c.events(1).get(0).path("offset").asLong()).isEqualTo(next);
        }
    }
}
