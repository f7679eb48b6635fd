package io.roomcast.edge;

import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that accepts nothing for the write timeout while frames wait is disconnected (4000), freeing its memory. */
class EdgeStallIT {

    @Test
    void shouldDisconnectAClientThatAcceptsNothingForTheWriteTimeout() {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("stalled"));
        try (EdgeServer edge = EdgeFixture.start(namespaces, b -> b.writeTimeout(Duration.ofSeconds(2)).outboundLimit(50));
             KafkaRoom kafka = new KafkaRoom(namespaces);
             WsClient stalled = WsClient.connect(edge.wsUrl())) {
            stalled.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            stalled.nextOp("live");
            stalled.pause();
            kafka.bulk(room, 20_000, 500);

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    edge.meters().counter("roomcast.connections.closed", "reason", "stalled").count() >= 1 && edge.connections() == 0);
            assertThat(edge.meters().get("roomcast.outbound.buffered.bytes").gauge().value()).isZero();
        }
    }
}
