package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 of an edge (a child JVM): its members leave within the presence TTL, as seen on another edge. */
class EdgePresenceKillIT {
    private static final Duration TTL = Duration.ofSeconds(3);
    private ChildJvm child;

    @AfterEach
    void killChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void shouldLetTheMembersOfAKilledEdgeLeaveWithinTheTtl() throws Exception {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        String presenceTopic = TestNames.unique("t") + ".presence";
        child = ChildJvm.start("edge-child", List.of(), PresenceChildEdge.class.getName(), List.of(
                TestKafka.bootstrapServers(), namespaces.find("chat").orElseThrow().topic(), presenceTopic, Long.toString(TTL.toMillis())));
        await().atMost(Duration.ofSeconds(60)).until(() -> url(child).isPresent());
        String room = "chat:kill-" + TestNames.unique();
        try (EdgeServer survivor = EdgeFixture.start(namespaces, b -> b.presence(PresenceConfig.ofDefaults().withTopic(presenceTopic).withTtl(TTL)));
             WsClient ann = WsClient.connect(survivor.wsUrl());
             WsClient dan = WsClient.connect(url(child).orElseThrow())) {
            ann.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Ann\"}");
            ann.nextOp("subscribed");
            dan.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Dan\"}");
            dan.nextOp("subscribed");
            JsonNode join;
            do {
                join = ann.nextOp("join");
            } while (!join.path("member").path("name").asText().equals("Dan"));

            assertThat(child.kill()).isTrue(); // SIGKILL: no tombstone, no goodbye
            long start = System.nanoTime();
            JsonNode leave = ann.nextOp("leave");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(leave.path("member").path("name").asText()).isEqualTo("Dan");
            assertThat(took).as("worst case: the TTL plus a second").isLessThan(TTL.plusSeconds(2));
        }
    }

    private static Optional<String> url(ChildJvm edge) throws java.io.IOException {
        return edge.output().lines().filter(l -> l.startsWith("URL ")).map(l -> l.substring(4)).findFirst();
    }
}
