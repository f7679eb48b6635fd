package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence that Kafka refuses ends its subscription with an {@code unavailable} notice naming the room, as protocol.md
 * says, so that the client's resubscribe is taken rather than refused as already subscribed. Kafka is made to refuse
 * every lease: the presence topic takes no record as large as one.
 */
class EdgePresenceFailureIT {

    @Test
    void shouldEndTheSubscriptionWhosePresenceFailsSoThatItsResubscribeIsTaken() throws Exception {
        String presenceTopic = TestNames.unique("t") + ".presence";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(presenceTopic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "64")))).all().get(30, TimeUnit.SECONDS);
        }
        String room = "chat:presence-" + TestNames.unique();
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(),
                b -> b.presence(PresenceConfig.ofDefaults().withTopic(presenceTopic)));
             WsClient ann = WsClient.connect(edge.wsUrl())) {
            ann.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Ann\"}");
            assertThat(ann.nextOp("subscribed").path("id").asInt()).isEqualTo(1);

            JsonNode notice = ann.nextOp("error");
            assertThat(notice.path("code").asText()).isEqualTo("unavailable");
            assertThat(notice.path("room").asText()).isEqualTo(room);
            assertThat(notice.has("id")).as("a notice about the room, not an answer").isFalse();

            ann.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + room + "\"}");
            JsonNode answer = ann.next();
            while (!answer.path("op").asText().equals("subscribed") && !answer.path("op").asText().equals("error")) {
                answer = ann.next();
            }
            assertThat(answer.path("op").asText()).as("the subscription had ended: %s", answer).isEqualTo("subscribed");
            assertThat(answer.path("id").asInt()).isEqualTo(2);
        }
    }
}
