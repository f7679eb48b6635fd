package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume after a disconnect: exactly the missed events, in order, no gap, no duplicate — from the
 * history cache, from Kafka when the gap is larger than the cache, and on another edge.
 */
class EdgeResumeIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.twoEdges(); // chat keeps 50 events per room in the cache

    /** Subscribes live, reads {@code count} events, disconnects; returns the position {offset, epoch}. */
    private static Object[] readSomeThenDisconnect(RoomName room, int count) {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            String epoch = c.nextOp("subscribed").path("epoch").asText();
            c.nextOp("live");
            List<Long> offsets = SHARED.kafka().messages(room, count);
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
            SHARED.kafka().json(neighbours.get(i % neighbours.size()), "{\"noise\":" + i + "}");
            offsets.add(SHARED.kafka().json(room, "{\"missed\":" + i + "}"));
        }
        return offsets;
    }

    private static void subscribeFrom(WsClient c, RoomName room, Object[] position) {
        c.send("{\"op\":\"subscribe\",\"id\":7,\"room\":\"" + room + "\",\"from\":{\"after\":" + position[0]
                + ",\"epoch\":\"" + position[1] + "\"}}");
    }

    private static void assertExactResume(EdgeServer server, RoomName room, Object[] position, List<Long> missed) {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            subscribeFrom(c, room, position);
            JsonNode subscribed = c.nextOp("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.has("gap")).isFalse();
            assertThat(subscribed.path("epoch").asText()).isEqualTo(position[1]);

            List<JsonNode> history = c.until(n -> n.path("op").asText().equals("live"));
            JsonNode live = history.remove(history.size() - 1);
            assertThat(history).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(missed);
            assertThat(history).allMatch(e -> e.path("room").asText().equals(room.value()));
            assertThat(live.path("offset").asLong()).isGreaterThanOrEqualTo(missed.get(missed.size() - 1));

            long next = SHARED.kafka().json(room, "{\"after\":\"resume\"}");
            assertThat(c.events(1).get(0).path("offset").asLong()).isEqualTo(next);
        }
    }

    private static double replayed(EdgeServer server, String source) {
        return server.meters().counter("roomcast.replay.events", "source", source).count();
    }

    /**
     * Reads 10 events of a new room on the first edge, lets {@code missed} more pass while away, and
     * resumes exactly on {@code server}; returns how many events {@code server} replayed from Kafka meanwhile.
     */
    private static double resumeAfterMissing(EdgeServer server, String label, int missed) {
        RoomName room = RoomName.of("chat:" + TestNames.unique(label));
        Object[] position = readSomeThenDisconnect(room, 10);
        List<Long> missedOffsets = publishWhileAway(room, missed);
        double fromKafkaBefore = replayed(server, "kafka");

        assertExactResume(server, room, position, missedOffsets);

        return replayed(server, "kafka") - fromKafkaBefore;
    }

    @Test
    void shouldResumeExactlyFromTheHistoryCache() {
        assertThat(resumeAfterMissing(SHARED.edge(), "cached", 30)).as("events replayed from Kafka").isZero();
    }

    @Test
    void shouldResumeExactlyFromKafkaWhenTheGapIsLargerThanTheCache() {
        assertThat(resumeAfterMissing(SHARED.edge(), "deep", 400)).as("events replayed from Kafka").isGreaterThanOrEqualTo(350);
    }

    @Test
    void shouldResumeExactlyOnAnotherEdge() {
        resumeAfterMissing(SHARED.otherEdge(), "moved", 120); // from cache or Kafka: either is exact
    }

    @Test
    void shouldResumeWithNothingMissedAndThenGoLive() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("uptodate"));
        Object[] position = readSomeThenDisconnect(room, 3);
        try (WsClient c = WsClient.connect(SHARED.otherEdge().wsUrl())) {
            subscribeFrom(c, room, position);
            assertThat(c.nextOp("subscribed").path("recovered").asBoolean()).isTrue();
            assertThat(c.next().path("op").asText()).isEqualTo("live");
            long next = SHARED.kafka().json(room, "{}");
            assertThat(c.events(1).get(0).path("offset").asLong()).isEqualTo(next);
        }
    }
}
