package io.roomcast.launcher;

import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.RoomcastClient;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Java client against two real edges on one Kafka: kill the one it uses, it resumes on the other exactly. */
class JavaClientFailoverIT {

    @Test
    void shouldFailOverToTheOtherEdgeWithNoGapAndNoDuplicate() throws Exception {
        String prefix = TestNames.unique("t") + ".";
        Namespaces namespaces = Namespaces.of(new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 100));
        String room = "chat:" + TestNames.unique("failover");
        EdgeServer a = EdgeServer.start(EdgeConfig.builder(TestKafka.bootstrapServers()).host("127.0.0.1").port(0).namespaces(namespaces).publishesPerSecond(10_000).framesPerSecond(10_000).build());
        EdgeServer b = EdgeServer.start(EdgeConfig.builder(TestKafka.bootstrapServers()).host("127.0.0.1").port(0).namespaces(namespaces).publishesPerSecond(10_000).framesPerSecond(10_000).build());
        Map<URI, EdgeServer> edges = Map.of(URI.create(a.wsUrl()), a, URI.create(b.wsUrl()), b);
        ClientOptions options = ClientOptions.builder().pingInterval(Duration.ofMillis(500)).pongTimeout(Duration.ofSeconds(1)).build();
        try (RoomcastClient reader = RoomcastClient.connect(List.of(URI.create(a.wsUrl()), URI.create(b.wsUrl())), options);
             RoomcastClient writer = RoomcastClient.connect(URI.create(b.wsUrl()), ClientOptions.ofDefaults())) {
            Recorder seen = new Recorder();
            reader.subscribe(room, From.earliest(), seen);
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acked.add(writer.publish(room, Map.of("i", i)).get());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.events.size() >= 100);

            URI killed = reader.connectedEdge();
            edges.get(killed).close();
            for (int i = 100; i < 300; i++) {
                acked.add(writer.publish(room, Map.of("i", i)).get());
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> seen.events.size() >= 300);
            assertThat(seen.offsets()).containsExactlyElementsOf(acked);
            assertThat(seen.gaps).isEmpty();
            assertThat(reader.connectedEdge()).isNotEqualTo(killed);
        } finally {
            a.close();
            b.close();
        }
    }
}
