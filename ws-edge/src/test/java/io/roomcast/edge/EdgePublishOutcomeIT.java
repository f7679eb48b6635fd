package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publish whose outcome is not known yet is never reported as "not written", and a retry is
 * answered only once the earlier attempt has settled, on any edge (issue 15).
 */
class EdgePublishOutcomeIT {

    private static JsonNode answer(WsClient c, int id) {
        while (true) {
            JsonNode n = c.next();
            if (n.path("id").asInt(-1) == id) {
                return n;
            }
        }
    }

    /** With an eventId, as an anonymous client that names itself with a publisherKey, so its resends on other connections count. */
    private static String publish(int id, RoomName room, String eventId, boolean retry) {
        return "{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"" + room + "\",\"data\":{\"n\":" + id + "}"
                + (eventId == null ? "" : ",\"eventId\":\"" + eventId + "\",\"publisherKey\":\"outcome-client-0123456789\"")
                + (retry ? ",\"retry\":true" : "") + "}";
    }

    private static List<JsonNode> history(EdgeServer edge, RoomName room) {
        try (WsClient reader = WsClient.connect(edge.wsUrl())) {
            reader.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
            List<JsonNode> events = new ArrayList<>();
            for (JsonNode n : reader.until(n -> n.path("op").asText().equals("live"))) {
                if (n.path("op").asText().equals("event")) {
                    events.add(n);
                }
            }
            return events;
        }
    }

    /**
     * The duplicate of the 3-broker failover, on one broker: the first attempt is still on its way
     * to Kafka (its producer lingers) when the client, which never got the ack, sends the retry to
     * another edge. The retry's lookup cannot see the first write yet; it must not write a second copy.
     */
    @Test
    void shouldNotWriteARetryTwiceWhileTheFirstAttemptIsStillInFlight() {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        // A slow path to Kafka: each write waits 2 s in the producer before it is sent.
        UnaryOperator<EdgeConfig.Builder> slow = b -> b.producerOverrides(Map.of(
                "linger.ms", 2_000, "request.timeout.ms", 2_000, "delivery.timeout.ms", 4_500));
        RoomName room = RoomName.of("chat:" + TestNames.unique("inflight"));
        try (EdgeServer first = EdgeFixture.start(namespaces, slow);
             EdgeServer second = EdgeFixture.start(namespaces, slow);
             WsClient lost = WsClient.connect(first.wsUrl());
             WsClient resent = WsClient.connect(second.wsUrl())) {
            lost.send(publish(1, room, "once-1", false));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    first.meters().get("roomcast.publish.dedupe.entries").gauge().value() >= 1);

            resent.send(publish(2, room, "once-1", true));
            JsonNode firstAck = answer(lost, 1);
            JsonNode retryAnswer = answer(resent, 2);

            assertThat(firstAck.path("op").asText()).isEqualTo("ack");
            assertThat(retryAnswer.path("op").asText()).isEqualTo("ack");
            assertThat(retryAnswer.path("duplicate").asBoolean()).as("the retry found the first write").isTrue();
            assertThat(retryAnswer.path("offset").asLong()).isEqualTo(firstAck.path("offset").asLong());
            assertThat(history(second, room)).extracting(n -> n.path("eventId").asText()).containsExactly("once-1");
        }
    }

    /**
     * Kafka goes away while a write waits in the producer (it lingers 4 s): that write may still
     * land as far as the edge can know, so it is answered {@code outcome_unknown}, never "not
     * written". Once the circuit breaker is open nothing is sent, so that is a definite {@code unavailable}.
     */
    @Test
    void shouldTellAnUnknownOutcomeFromADefiniteFailure(@TempDir Path dir) {
        EmbeddedKafka kafka = TestKafka.startPrivate(dir);
        try (EdgeServer edge = EdgeFixture.start(kafka.bootstrapServers(), EdgeFixture.isolatedNamespaces(),
                b -> b.producerOverrides(Map.of("linger.ms", 4_000, "request.timeout.ms", 1_000, "delivery.timeout.ms", 5_000,
                        "max.block.ms", 1_000)));
             WsClient c = WsClient.connect(edge.wsUrl())) {
            RoomName room = RoomName.of("chat:" + TestNames.unique("outcome"));
            c.send(publish(1, room, "u-0", false));
            assertThat(answer(c, 1).path("op").asText()).isEqualTo("ack");

            c.send(publish(2, room, "u-1", false));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    edge.meters().get("roomcast.publish.dedupe.entries").gauge().value() >= 2);
            kafka.close();

            JsonNode unknown = answer(c, 2);
            assertThat(unknown.path("op").asText()).isEqualTo("error");
            assertThat(unknown.path("code").asText()).as("the write was handed to Kafka's producer: it may land; " + unknown)
                    .isEqualTo("outcome_unknown");

            StringBuilder batch = new StringBuilder("[");
            for (int i = 3; i < 9; i++) {
                batch.append(i > 3 ? "," : "").append(publish(i, room, null, false));
            }
            c.send(batch.append("]").toString());
            // answers to one batch may come in any order
            for (int answered = 0; answered < 6; ) {
                JsonNode n = c.next();
                if (n.path("id").asInt(-1) >= 3) {
                    assertThat(n.path("code").asText()).isIn("outcome_unknown", "unavailable");
                    answered++;
                }
            }
            c.send(publish(9, room, "u-9", false));
            JsonNode definite = answer(c, 9);
            assertThat(definite.path("code").asText()).as("circuit open: nothing was sent; " + definite).isEqualTo("unavailable");

            // Kafka returns; the client resends the unknown publish as a retry until it is answered: written exactly once.
            kafka = TestKafka.startPrivate(dir);
            // refused retries are answered at once while the circuit is open: a few a second, within the rate limit
            int[] next = {100};
            JsonNode[] answered = new JsonNode[1];
            await("the retry is answered once Kafka is back").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        c.send(publish(next[0], room, "u-1", true));
                        answered[0] = answer(c, next[0]++);
                        return answered[0].path("op").asText().equals("ack");
                    });
            JsonNode settled = answered[0];
            int id = next[0];
            c.send(publish(id, room, "u-1", true));
            JsonNode again = answer(c, id);
            assertThat(again.path("duplicate").asBoolean()).isTrue();
            assertThat(again.path("offset").asLong()).isEqualTo(settled.path("offset").asLong());
            assertThat(history(edge, room)).extracting(n -> n.path("eventId").asText()).containsExactly("u-0", "u-1");
        } finally {
            kafka.close();
        }
    }
}
