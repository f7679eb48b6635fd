package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.edge.ephemeral.EphemeralConfig;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.edge.snapshot.SnapshotConfig;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collaboration features through the Java client against a real edge on a real in-process Kafka: presence (two
 * members see each other, a leave, the {@code presence} question), ephemeral signals (delivered live, no offset, the
 * position stays, never in a replay; an ack without offset), a compact history (finished answers as one
 * {@code generation.message}, a streaming one as a partial and then live tokens, no gap or duplicate), and snapshots
 * written with {@link SnapshotWriter} and read with {@link From#snapshot()}.
 */
class ClientCollaborationIT {

    private static String prefix;
    private static Namespaces namespaces;
    private static EdgeServer edge;
    private static KafkaProducer<byte[], byte[]> kafka;
    private final List<RoomcastClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        prefix = TestNames.unique("t") + ".";
        namespaces = Namespaces.of(
                new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 50),
                new Namespace("logs", prefix + "logs", 1, Duration.ofDays(1), 50));
        edge = EdgeServer.start(EdgeConfig.builder(TestKafka.bootstrapServers()).host("127.0.0.1").port(0)
                .namespaces(namespaces)
                .presence(PresenceConfig.ofDefaults().withTopic(prefix + "presence").withTtl(Duration.ofSeconds(5)))
                .ephemeral(EphemeralConfig.ofDefaults().withTopic(prefix + "ephemeral"))
                .snapshots(SnapshotConfig.ofDefaults().withTopic(prefix + "snapshots"))
                .build());
        kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        kafka.close();
        edge.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RoomcastClient::close);
    }

    private RoomcastClient client() {
        RoomcastClient c = RoomcastClient.connect(URI.create(edge.wsUrl()), ClientOptions.ofDefaults());
        clients.add(c);
        return c;
    }

    private static String room(String what) {
        return "chat:" + TestNames.unique(what);
    }

    /** Writes an event straight into Kafka, as the model producer does; returns its offset. */
    private static long write(String room, String type, String json) throws Exception {
        return kafka.send(RecordLayout.toRecord(prefix + "chat", RoomName.of(room), type, json.getBytes(StandardCharsets.UTF_8),
                null)).get(10, TimeUnit.SECONDS).offset();
    }

    /** Records everything a collaboration subscription hears. */
    static final class Collab implements SubscriptionListener {
        final List<RoomEvent> events = new CopyOnWriteArrayList<>();
        final List<EphemeralEvent> signals = new CopyOnWriteArrayList<>();
        final List<PartialAnswer> partials = new CopyOnWriteArrayList<>();
        final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
        final List<String> presence = new CopyOnWriteArrayList<>();
        volatile Presence members = new Presence("-", List.of(), 0, true);
        volatile long live = Long.MIN_VALUE;

        @Override
        public void onEvent(RoomEvent event) {
            events.add(event);
        }

        @Override
        public void onLive(long offset) {
            live = offset;
        }

        @Override
        public void onJoin(Member member, int count) {
            presence.add("join:" + member.name());
        }

        @Override
        public void onLeave(Member member, int count) {
            presence.add("leave:" + member.name());
        }

        @Override
        public void onPresence(Presence p) {
            members = p;
        }

        @Override
        public void onEphemeral(EphemeralEvent event) {
            signals.add(event);
        }

        @Override
        public void onPartial(PartialAnswer partial) {
            partials.add(partial);
        }

        @Override
        public void onSnapshot(Snapshot snapshot) {
            snapshots.add(snapshot);
        }

        List<String> names() {
            return members.members().stream().map(Member::name).toList();
        }
    }

    @Test
    void shouldSendABurstAboveTheEdgesPublishRateWithoutARefusal() {
        // made before the connection opens, as after a time offline: 250 publishes against the edge's 100 per second
        RoomcastClient c = client();
        String room = room("burst");
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            acks.add(c.publish(room, Map.of("i", i)));
        }
        List<Long> offsets = acks.stream().map(a -> a.orTimeout(30, TimeUnit.SECONDS).join()).toList();
        assertThat(offsets).isSorted().doesNotHaveDuplicates().hasSize(250);
        assertThat(c.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void shouldListMembersWithTheirNamesAndSeeALeave() {
        String room = room("presence");
        Collab ann = new Collab();
        Collab bob = new Collab();
        RoomcastClient annClient = client();
        Subscription annSub = annClient.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Ann"), ann);
        await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().equals(List.of("Ann"))); // Ann is first
        RoomcastClient bobClient = client();
        bobClient.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Bob"), bob);

        await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().size() == 2 && bob.names().size() == 2);
        assertThat(ann.names()).containsExactly("Ann", "Bob"); // longest present first
        assertThat(annSub.members()).extracting(Member::name).containsExactly("Ann", "Bob");
        assertThat(ann.members.members()).allSatisfy(m -> {
            assertThat(m.verified()).isFalse();
            assertThat(m.user()).isNull();
        });

        Presence asked = client().presence(room).join();
        assertThat(asked.count()).isEqualTo(2);
        assertThat(asked.listed()).isTrue();
        assertThat(asked.members()).extracting(Member::name).containsExactly("Ann", "Bob");

        bobClient.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().equals(List.of("Ann")));
        assertThat(ann.presence).contains("leave:Bob");
        assertThat(ann.members.count()).isEqualTo(1);
    }

    @Test
    void shouldTellAfterAReconnectOnlyWhatChangedInThePresenceList() throws Exception {
        String room = room("relist");
        Collab ann = new Collab();
        Collab bob = new Collab();
        try (PausableProxy proxy = new PausableProxy(new InetSocketAddress("127.0.0.1", edge.port()))) {
            RoomcastClient annClient = RoomcastClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"),
                    ClientOptions.ofDefaults());
            clients.add(annClient);
            annClient.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Ann"), ann);
            await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().equals(List.of("Ann")));
            client().subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Bob"), bob);
            // Cid enters after Bob is in, so that the list's order (longest present first) is known.
            await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().equals(List.of("Ann", "Bob")));
            RoomcastClient cidClient = client();
            cidClient.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Cid"), new Collab());
            await().atMost(Duration.ofSeconds(20)).until(() -> ann.names().equals(List.of("Ann", "Bob", "Cid")));

            // Ann hears nothing while Cid leaves, then loses her connection and comes back.
            proxy.pause();
            cidClient.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> bob.names().equals(List.of("Ann", "Bob")));
            proxy.cutAndResume();

            // Her old connection leaves too, at the sync or just after it; her new one joins.
            await().atMost(Duration.ofSeconds(30)).until(() -> ann.names().equals(List.of("Bob", "Ann")));
            assertThat(ann.presence.stream().filter("join:Bob"::equals)).as("Bob stayed: joined once, %s", ann.presence).hasSize(1);
            assertThat(ann.presence.stream().filter("leave:Cid"::equals)).as("Cid left while Ann was away: %s", ann.presence)
                    .hasSize(1);
        }
    }

    @Test
    void shouldRefuseAnOversizedName() {
        assertThatThrownBy(() -> SubscribeOptions.from(From.latest()).withPresence("x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
        String room = room("badname");
        List<ClientError> errors = new CopyOnWriteArrayList<>();
        // a name the edge refuses: a control character
        client().subscribe(room, SubscribeOptions.from(From.latest()).withPresence("bad\u0007name"), new SubscriptionListener() {
            @Override
            public void onEvent(RoomEvent event) {
            }

            @Override
            public void onError(ClientError error) {
                errors.add(error);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void shouldDeliverSignalsLiveWithoutOffsetAndNeverInAReplay() throws Exception {
        String room = room("signals");
        Collab watcher = new Collab();
        RoomcastClient w = client();
        Subscription sub = w.subscribe(room, SubscribeOptions.from(From.earliest()).withEphemeral(), watcher);
        RoomcastClient sender = client();
        long first = sender.publish(room, Map.of("text", "hi")).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.events.size() == 1 && watcher.live != Long.MIN_VALUE);
        Position before = sub.position().orElseThrow();

        assertThat(sender.publishEphemeral(room, "typing", Map.of("typing", true)).get(10, TimeUnit.SECONDS)).isNull();
        // the first signals may race the edge's signal tail reaching the topic's end: send until one arrives
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (watcher.signals.isEmpty()) {
                sender.publishEphemeral(room, "typing", Map.of("typing", true)).join();
            }
            return !watcher.signals.isEmpty();
        });
        EphemeralEvent signal = watcher.signals.get(0);
        assertThat(signal.type()).isEqualTo("typing");
        assertThat(signal.data().path("typing").asBoolean()).isTrue();
        assertThat(signal.client()).isNotBlank();
        assertThat(sub.position()).contains(before);

        long second = sender.publish(room, Map.of("text", "after")).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.events.size() == 2);
        assertThat(watcher.events).extracting(RoomEvent::offset).containsExactly(first, second);

        Collab late = new Collab();
        client().subscribe(room, SubscribeOptions.from(From.earliest()).withEphemeral(), late);
        await().atMost(Duration.ofSeconds(20)).until(() -> late.live != Long.MIN_VALUE);
        assertThat(late.events).extracting(RoomEvent::offset).containsExactly(first, second);
        assertThat(late.signals).isEmpty();

        // no signals in namespaces that do not allow them, and no eventId on a signal
        assertThatThrownBy(() -> sender.publishEphemeral("logs:" + TestNames.unique("x"), "typing", 1).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RoomcastException.class)
                .cause().satisfies(e -> assertThat(((RoomcastException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void shouldGiveALateJoinerFinishedAnswersWholeAndTheStreamingOnePartialThenLive() throws Exception {
        String room = room("compact");
        String g1 = "g1-" + TestNames.unique();
        String g2 = "g2-" + TestNames.unique();
        write(room, "prompt", "{\"text\":\"first?\"}");
        write(room, "generation.started", "{\"generationId\":\"" + g1 + "\"}");
        long from = write(room, "token", "{\"generationId\":\"" + g1 + "\",\"seq\":0,\"text\":\"One \"}");
        long to = write(room, "token", "{\"generationId\":\"" + g1 + "\",\"seq\":1,\"text\":\"answer.\"}");
        write(room, "generation.done", "{\"generationId\":\"" + g1 + "\"}");
        write(room, "generation.message", "{\"generationId\":\"" + g1 + "\",\"status\":\"done\",\"text\":\"One answer.\",\"tokens\":2,"
                + "\"replaces\":{\"from\":" + from + ",\"to\":" + to + "}}");
        write(room, "prompt", "{\"text\":\"second?\"}");
        write(room, "generation.started", "{\"generationId\":\"" + g2 + "\"}");
        write(room, "token", "{\"generationId\":\"" + g2 + "\",\"seq\":0,\"text\":\"Half \"}");
        long lastPartial = write(room, "token", "{\"generationId\":\"" + g2 + "\",\"seq\":1,\"text\":\"an \"}");

        Collab late = new Collab();
        Subscription sub = client().subscribe(room, SubscribeOptions.from(From.earliest()).withCompact(), late);
        await().atMost(Duration.ofSeconds(20)).until(() -> late.live != Long.MIN_VALUE);
        assertThat(late.events).extracting(RoomEvent::type)
                .containsExactly("prompt", "generation.started", "generation.done", "generation.message", "prompt", "generation.started");
        assertThat(late.events.get(3).data().path("text").asText()).isEqualTo("One answer.");
        assertThat(late.partials).hasSize(1);
        PartialAnswer partial = late.partials.get(0);
        assertThat(partial.generationId()).isEqualTo(g2);
        assertThat(partial.text()).isEqualTo("Half an ");
        assertThat(partial.offset()).isEqualTo(lastPartial);
        assertThat(sub.position().orElseThrow().offset()).isGreaterThanOrEqualTo(lastPartial);

        write(room, "token", "{\"generationId\":\"" + g2 + "\",\"seq\":2,\"text\":\"answer.\"}");
        write(room, "generation.done", "{\"generationId\":\"" + g2 + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> late.events.size() == 8);
        StringBuilder text = new StringBuilder();
        for (PartialAnswer p : late.partials) {
            text.append(p.text());
        }
        for (RoomEvent e : late.events) {
            if (e.type().equals("token") && e.data().path("generationId").asText().equals(g2)) {
                text.append(e.data().path("text").asText());
            }
        }
        assertThat(text).hasToString("Half an answer.");
    }

    @Test
    void shouldStartFromTheSnapshotTheWriterWroteAndContinueAfterIt() throws Exception {
        String room = room("counter");
        RoomcastClient counterClient = client();
        Collab counter = new Collab();
        Subscription sub = counterClient.subscribe(room, SubscribeOptions.from(From.earliest()), counter);
        for (int i = 1; i <= 3; i++) {
            counterClient.publish(room, Map.of("by", i), PublishOptions.ofType("add")).join();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> counter.events.size() == 3);
        int count = counter.events.stream().mapToInt(e -> e.data().path("by").asInt()).sum();
        await().until(() -> sub.position().map(p -> p.offset() == counter.events.get(2).offset()).orElse(false));
        try (SnapshotWriter snapshots = SnapshotWriter.connect(TestKafka.bootstrapServers(), prefix + "snapshots", Map.of())) {
            snapshots.write(room, sub.position().orElseThrow(), Map.of("count", count)).get(10, TimeUnit.SECONDS);
        }
        long after = counterClient.publish(room, Map.of("by", 10), PublishOptions.ofType("add")).join();

        Collab joiner = new Collab();
        Subscription joined = client().subscribe(room, SubscribeOptions.from(From.snapshot()), joiner);
        await().atMost(Duration.ofSeconds(20)).until(() -> joiner.live != Long.MIN_VALUE);
        assertThat(joiner.snapshots).hasSize(1);
        JsonNode state = joiner.snapshots.get(0).data();
        assertThat(state.path("count").asInt()).isEqualTo(6);
        assertThat(joiner.snapshots.get(0).offset()).isEqualTo(counter.events.get(2).offset());
        assertThat(joiner.events).extracting(RoomEvent::offset).containsExactly(after);
        int total = state.path("count").asInt() + joiner.events.stream().mapToInt(e -> e.data().path("by").asInt()).sum();
        assertThat(total).isEqualTo(16);
        assertThat(joined.position().orElseThrow().offset()).isGreaterThanOrEqualTo(after);
    }
}
