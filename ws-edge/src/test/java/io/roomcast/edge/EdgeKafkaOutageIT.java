package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka stopped and restarted under a running edge: no crash, publishes fail with unavailable
 * meanwhile, and subscriptions continue afterwards without a gap and without reconnecting.
 */
class EdgeKafkaOutageIT {

    private static JsonNode publish(WsClient c, int id) {
        c.send("{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"chat:outage\",\"data\":{\"n\":" + id + "}}");
        while (true) {
            JsonNode n = c.next();
            if (n.path("id").asInt(-1) == id) {
                return n;
            }
        }
    }

    @Test
    void shouldFailPublishesFastAndResumeSubscriptionsWhenKafkaReturns(@TempDir Path dir) {
        EmbeddedKafka kafka = TestKafka.startPrivate(dir);
        try (EdgeServer edge = EdgeFixture.start(kafka.bootstrapServers(), EdgeFixture.isolatedNamespaces(), b -> b);
             WsClient reader = WsClient.connect(edge.wsUrl());
             WsClient writer = WsClient.connect(edge.wsUrl())) {
            reader.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:outage\"}");
            reader.nextOp("live");
            List<Long> acked = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                acked.add(publish(writer, i).path("offset").asLong());
            }

            kafka.close();

            JsonNode failed = publish(writer, 100);
            assertThat(failed.path("op").asText()).isEqualTo("error");
            assertThat(failed.path("code").asText()).as("handed to the producer: may still land").isIn("unavailable", "outcome_unknown");

            kafka = TestKafka.startPrivate(dir);
            // refused publishes are answered at once while the circuit is open: a few a second, within the rate limit
            int[] id = {200};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode answer = publish(writer, id[0]++);
                if (answer.path("op").asText().equals("ack")) {
                    acked.add(answer.path("offset").asLong());
                } else {
                    assertThat(answer.path("code").asText()).isIn("unavailable", "outcome_unknown");
                }
                return acked.size() >= 6;
            });

            List<Long> received = new ArrayList<>();
            while (received.size() < acked.size() || received.get(received.size() - 1) < acked.get(acked.size() - 1)) {
                JsonNode e = reader.nextOp("event");
                received.add(e.path("offset").asLong());
            }
            assertThat(received).containsAll(acked).doesNotHaveDuplicates().isSorted();
            assertThat(edge.backbone().live().isRunning()).isTrue();
        } finally {
            kafka.close();
        }
    }
}
