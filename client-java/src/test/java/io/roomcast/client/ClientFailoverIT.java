package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client on real sockets against two fake edges that share one log (as real edges share Kafka): when the edge it
 * is connected to dies, the client fails over to the other and resumes with no gap and no duplicate.
 */
class ClientFailoverIT {

    private static final String ROOM = "chat:lobby";

    private final FakeLog log = new FakeLog();
    private final List<StateChange> changes = new CopyOnWriteArrayList<>();
    private FakeEdge edgeA;
    private FakeEdge edgeB;
    private RoomcastClient client;

    @BeforeEach
    void startEdges() {
        edgeA = new FakeEdge("a", log).start(0);
        edgeB = new FakeEdge("b", log).start(0);
    }

    @AfterEach
    void stopAll() {
        if (client != null) {
            client.close();
        }
        edgeA.close();
        edgeB.close();
    }

    private ClientOptions.Builder options() {
        return ClientOptions.builder()
                .backoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(1)))
                // the JDK may miss a peer's close (see JdkWebSocketTransport); the heartbeat is what catches that
                .pingInterval(Duration.ofMillis(500))
                .pongTimeout(Duration.ofSeconds(1))
                .stateListener(changes::add);
    }

    private FakeEdge connectedEdge() {
        return edgeA.uri().equals(client.connectedEdge()) ? edgeA : edgeB;
    }

    @Test
    void shouldFailOverToTheOtherEdgeAndResumeWithoutGapOrDuplicate() throws Exception {
        client = RoomcastClient.connect(List.of(edgeA.uri(), edgeB.uri()), options().build());
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);

        try (FakeProducer producer = new FakeProducer(log, List.of(ROOM, "chat:other"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() >= 100);
            FakeEdge first = connectedEdge();
            FakeEdge second = first == edgeA ? edgeB : edgeA;
            int beforeKill = rec.events.size();

            first.kill();

            await().atMost(Duration.ofSeconds(20)).until(() -> second.uri().equals(client.connectedEdge()));
            await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() >= beforeKill + 100);
        }

        List<Long> expected = log.room(ROOM).stream().map(FakeLog.Entry::offset).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() >= expected.size());
        assertThat(rec.offsets()).containsExactlyElementsOf(expected);
        assertThat(rec.overlaps).hasValue(0);
        assertThat(rec.log).noneMatch(line -> line.startsWith("gap:") || line.startsWith("error:"));
        assertThat(rec.log).contains("subscribed:E1:true:resumed");
        assertThat(sub.position()).contains(new Position(expected.get(expected.size() - 1), "E1"));

        FakeEdge survivor = connectedEdge();
        JsonNode resume = survivor.subscribes().get(survivor.subscribes().size() - 1);
        assertThat(resume.get("from").get("epoch").asText()).isEqualTo("E1");
        assertThat(resume.get("from").get("after").asLong()).isBetween(0L, expected.get(expected.size() - 1));
        assertThat(changes).extracting(StateChange::current)
                .containsSubsequence(ConnectionState.OPEN, ConnectionState.RECONNECTING, ConnectionState.OPEN);
    }

    @Test
    void shouldMoveToAnotherEdgeWhenAskedToReconnectAndLoseNothing() {
        client = RoomcastClient.connect(List.of(edgeA.uri(), edgeB.uri()), options().build());
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.latest(), rec);
        await().until(() -> rec.log.stream().anyMatch(l -> l.startsWith("live:")));
        for (int i = 0; i < 10; i++) {
            log.append(ROOM, "message", null, null);
        }
        await().until(() -> rec.events.size() == 10);
        FakeEdge draining = connectedEdge();
        FakeEdge other = draining == edgeA ? edgeB : edgeA;

        draining.sendToAll("{\"op\":\"reconnect\",\"reason\":\"drain\",\"delayMs\":100}");
        await().until(() -> other.uri().equals(client.connectedEdge()));
        draining.kill();
        for (int i = 0; i < 10; i++) {
            log.append(ROOM, "message", null, null);
        }
        List<Long> expected = log.room(ROOM).stream().map(FakeLog.Entry::offset).toList();
        await().until(() -> rec.events.size() >= 20);
        assertThat(rec.offsets()).containsExactlyElementsOf(expected);
        assertThat(changes).noneMatch(c -> c.current() == ConnectionState.CLOSED);
    }

    @Test
    void shouldFailOverWhenTheEdgeStopsAnsweringPings() {
        client = RoomcastClient.connect(List.of(edgeA.uri(), edgeB.uri()),
                options().pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        await().until(() -> client.state() == ConnectionState.OPEN);
        FakeEdge silent = connectedEdge();
        FakeEdge other = silent == edgeA ? edgeB : edgeA;
        silent.ponging.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> other.uri().equals(client.connectedEdge()));
        assertThat(changes).anySatisfy(c -> {
            assertThat(c.current()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(c.cause().message()).contains("no pong");
        });
        await().until(() -> silent.openConnections() == 0);
    }
}
