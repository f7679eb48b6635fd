package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publish and subscribe through the real JDK WebSocket, with frames batched on the way out. */
class ClientPublishIT {

    private final FakeLog log = new FakeLog();
    private final FakeEdge edge = new FakeEdge("a", log).start(0);
    private final List<RoomcastClient> clients = new ArrayList<>();

    @AfterEach
    void stopAll() {
        clients.forEach(RoomcastClient::close);
        edge.close();
    }

    private RoomcastClient client() {
        RoomcastClient c = RoomcastClient.connect(edge.uri(), ClientOptions.ofDefaults());
        clients.add(c);
        return c;
    }

    @Test
    void shouldAckEveryPublishWithTheOffsetSubscribersSee() {
        RoomcastClient subscriber = client();
        RecordingListener rec = new RecordingListener();
        subscriber.subscribe("chat:lobby", From.latest(), rec);
        await().until(() -> rec.log.stream().anyMatch(l -> l.startsWith("live:")));

        RoomcastClient publisher = client();
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            acks.add(publisher.publish("chat:lobby", Map.of("i", i),
                    PublishOptions.ofType("token").withEventId("p-" + i)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        List<Long> acked = acks.stream().map(CompletableFuture::join).toList();

        await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() == 300);
        assertThat(rec.offsets()).containsExactlyElementsOf(acked);
        for (int i = 0; i < 300; i++) {
            RoomEvent e = rec.events.get(i);
            assertThat(e.type()).isEqualTo("token");
            assertThat(e.eventId()).isEqualTo("p-" + i);
            assertThat(e.data().get("i").asInt()).isEqualTo(i);
        }
        // 300 quick publishes left the client in fewer frames than publishes: the transport batched them
        assertThat(edge.received.stream().filter(n -> n.path("op").asText().equals("publish")).count()).isEqualTo(300);
    }

    @Test
    void shouldReplayTheLastEventsThenGoLive() {
        for (int i = 0; i < 20; i++) {
            log.append("logs:api", "log", JsonNodeFactory.instance.textNode("line " + i), null);
        }
        RoomcastClient c = client();
        RecordingListener rec = new RecordingListener();
        c.subscribe("logs:api", From.last(5), rec);
        await().until(() -> rec.log.stream().anyMatch(l -> l.startsWith("live:")));
        assertThat(rec.events).extracting(e -> e.data().asText())
                .containsExactly("line 15", "line 16", "line 17", "line 18", "line 19");
        c.publish("logs:api", "line 20").join();
        await().until(() -> rec.events.size() == 6);
    }
}
