package io.roomcast.launcher;

import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.PublishOptions;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flagship: a prompt published over a WebSocket is answered token by token, and two members on
 * different edges and a third who joins after the end with {@code earliest} all see the same stream.
 */
class ProducerRoomIT {

    @Test
    void shouldStreamOneAnswerIdenticallyToEveryMemberOnEveryEdge() throws Exception {
        String prefix = TestNames.unique("t") + ".";
        Namespaces namespaces = Namespaces.of(
                new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 1000),
                new Namespace("logs", prefix + "logs", 1, Duration.ofDays(1), 1000));
        String room = "chat:" + TestNames.unique("ask");
        String bootstrap = TestKafka.bootstrapServers();
        try (EdgeServer a = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0).namespaces(namespaces).build());
             EdgeServer b = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0).namespaces(namespaces).build());
             ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder(bootstrap)
                     .namespaceTopics(Map.of("chat", prefix + "chat")).partitions(4)
                     .logs(prefix + "logs", "logs:model-producer", true).groupId(TestNames.unique("group")).build());
             RoomcastClient alice = RoomcastClient.connect(URI.create(a.wsUrl()), ClientOptions.ofDefaults());
             RoomcastClient bob = RoomcastClient.connect(URI.create(b.wsUrl()), ClientOptions.ofDefaults())) {
            producer.awaitAssignment(Duration.ofSeconds(60));
            Recorder aliceSees = new Recorder();
            Recorder bobSees = new Recorder();
            alice.subscribe(room, From.latest(), aliceSees);
            bob.subscribe(room, From.latest(), bobSees);
            await().atMost(Duration.ofSeconds(30)).until(() -> aliceSees.live && bobSees.live);

            alice.publish(room, Map.of("text", "What is Roomcast?"), PublishOptions.ofType("prompt")).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> aliceSees.types().contains("generation.done"));
            await().atMost(Duration.ofSeconds(60)).until(() -> bobSees.types().contains("generation.done"));
            List<String> types = aliceSees.types();
            assertThat(types).containsSubsequence("prompt", "generation.started", "token", "generation.done");
            List<RoomEvent> tokens = aliceSees.events.stream().filter(e -> e.type().equals("token")).toList();
            for (int i = 0; i < tokens.size(); i++) {
                assertThat(tokens.get(i).data().path("seq").asInt()).isEqualTo(i);
            }
            assertThat(bobSees.offsets()).isEqualTo(aliceSees.offsets());

            try (RoomcastClient carol = RoomcastClient.connect(URI.create(b.wsUrl()), ClientOptions.ofDefaults())) {
                Recorder carolSees = new Recorder();
                carol.subscribe(room, From.earliest(), carolSees);
                await().atMost(Duration.ofSeconds(30)).until(() -> carolSees.events.size() >= aliceSees.events.size());
                assertThat(carolSees.offsets()).isEqualTo(aliceSees.offsets());
                assertThat(carolSees.types()).isEqualTo(aliceSees.types());
            }
        }
    }
}
