package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client on real sockets against one fake edge that dies, restarts, drops connections and loses history. */
class ClientReconnectIT {

    private static final String ROOM = "chat:lobby";

    private final FakeLog log = new FakeLog();
    private final List<StateChange> changes = new CopyOnWriteArrayList<>();
    private FakeEdge edge;
    private RoomcastClient client;

    @BeforeEach
    void startEdge() {
        edge = new FakeEdge("a", log).start(0);
        client = RoomcastClient.connect(edge.uri(), ClientOptions.builder()
                .backoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(1)))
                // the JDK may miss a peer's close (see JdkWebSocketTransport); the heartbeat is what catches that
                .pingInterval(Duration.ofMillis(500))
                .pongTimeout(Duration.ofSeconds(1))
                .stateListener(changes::add)
                .build());
    }

    @AfterEach
    void stopAll() {
        client.close();
        edge.close();
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            log.append(ROOM, "message", null, null);
            log.append("chat:noise", "message", null, null);
        }
    }

    private List<Long> roomOffsets() {
        return log.room(ROOM).stream().map(FakeLog.Entry::offset).toList();
    }

    @Test
    void shouldResumeExactlyAfterTheEdgeRestartsAndDeliverPublishesQueuedMeanwhile() throws Exception {
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.earliest(), rec);
        append(30);
        await().until(() -> rec.events.size() == 30);

        edge.kill();
        await().until(() -> client.state() == ConnectionState.RECONNECTING);
        append(30);
        CompletableFuture<Long> queued = client.publish(ROOM, "sent while the edge was down");
        edge.restart();

        long offset = queued.get(20, TimeUnit.SECONDS);
        assertThat(log.room(ROOM)).anyMatch(e -> e.offset() == offset);
        List<Long> expected = roomOffsets();
        await().until(() -> rec.events.size() >= expected.size());
        assertThat(rec.offsets()).containsExactlyElementsOf(expected);
        assertThat(rec.events.get(rec.events.size() - 1).data().asText()).isEqualTo("sent while the edge was down");
        assertThat(changes).extracting(StateChange::current).containsSubsequence(
                ConnectionState.OPEN, ConnectionState.RECONNECTING, ConnectionState.OPEN);
    }

    @Test
    void shouldSurviveRepeatedDropsWhileEventsFlow() throws Exception {
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.earliest(), rec);
        try (FakeProducer producer = new FakeProducer(log, List.of(ROOM, "chat:noise"))) {
            for (int round = 1; round <= 3; round++) {
                int seen = rec.events.size();
                await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() >= seen + 50);
                int connections = edge.connections.get();
                edge.dropConnections();
                await().atMost(Duration.ofSeconds(20)).until(() -> edge.connections.get() > connections
                        && client.state() == ConnectionState.OPEN);
            }
        }
        List<Long> expected = roomOffsets();
        await().atMost(Duration.ofSeconds(20)).until(() -> rec.events.size() >= expected.size());
        assertThat(rec.offsets()).containsExactlyElementsOf(expected);
        assertThat(rec.overlaps).hasValue(0);
    }

    @Test
    void shouldReportARetentionGapAndGoOnFromWhereHistoryResumes() {
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);
        await().until(() -> rec.log.contains("live:-1"));
        append(10);
        await().until(() -> rec.events.size() == 10);
        long lastSeen = sub.position().orElseThrow().offset();

        edge.kill();
        append(10);
        List<Long> all = roomOffsets();
        long firstKept = all.get(15);
        log.trimBefore(firstKept);
        edge.restart();

        await().until(() -> rec.log.stream().anyMatch(l -> l.startsWith("gap:")));
        await().until(() -> rec.events.size() == 15);
        assertThat(rec.log).contains("gap:retention:" + lastSeen + ":" + firstKept);
        assertThat(rec.offsets().subList(10, 15)).containsExactlyElementsOf(all.subList(15, 20));
    }

    @Test
    void shouldReportAnEpochChangeAsAGapAndAcceptTheNewHistory() {
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);
        append(5);
        await().until(() -> rec.events.size() == 5);

        edge.kill();
        log.newEpoch("E2");
        append(3);
        edge.restart();

        await().until(() -> rec.events.size() == 8);
        assertThat(rec.log).anyMatch(l -> l.startsWith("gap:epoch:"));
        assertThat(rec.log).contains("subscribed:E2:false:resumed");
        assertThat(rec.offsets().subList(5, 8)).containsExactly(0L, 2L, 4L);
        // the live offset (5, the noise room's last event) is the position: above the room's last event 4
        assertThat(sub.position()).contains(new Position(5, "E2"));
    }

    @Test
    void shouldStopForGoodWhenTheEdgeSaysUnauthorized() {
        await().until(() -> client.state() == ConnectionState.OPEN);
        client.close();
        changes.clear();
        int accepted = edge.connections.get();
        RoomcastClient bad = RoomcastClient.connect(edge.uri(),
                ClientOptions.builder().token("bad").stateListener(changes::add)
                        .backoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(1)))
                        .build());
        try {
            await().until(() -> bad.state() == ConnectionState.CLOSED);
            await().until(() -> !changes.isEmpty() && changes.get(changes.size() - 1).current() == ConnectionState.CLOSED);
            assertThat(changes.get(changes.size() - 1).cause().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            // the token went in an auth frame on one connection; refused, it is not tried again
            assertThat(edge.connections.get()).isEqualTo(accepted + 1);
            assertThat(edge.received.stream().filter(f -> f.path("op").asText().equals("auth")).map(f -> f.path("token").asText()))
                    .containsExactly("bad");
        } finally {
            bad.close();
        }
    }
}
