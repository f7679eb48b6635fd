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
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A zombie model producer, end to end: {@code roomcast producer} runs as a child process and is
 * stopped (SIGSTOP) in the middle of an answer until the group moves its partitions; a second
 * producer restarts and finishes the answer; then the first is continued (SIGCONT) and, still
 * believing it answers, tries to write on. Subscribers on the edge — live, and a late joiner
 * replaying the room from the start — see exactly one complete answer after the restart marker and
 * nothing of the zombie's.
 */
@EnabledOnOs(OS.LINUX)
class ProducerFencingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WORDS = 150;

    private ChildJvm child;

    @AfterEach
    void stopChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void shouldShowOneCompleteAnswerAfterTheRestartMarkerAndNothingFromTheZombie() throws Exception {
        String topic = TestNames.unique("t") + ".chat";
        Namespaces namespaces = Namespaces.of(new Namespace("chat", topic, 2, Duration.ofDays(1), 1000));
        String room = "chat:" + TestNames.unique("zombie");
        String group = TestNames.unique("producers");
        String bootstrap = TestKafka.bootstrapServers();
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0).namespaces(namespaces).build());
             RoomcastClient alice = RoomcastClient.connect(URI.create(edge.wsUrl()), ClientOptions.ofDefaults())) {
            child = ChildJvm.start("roomcast-producer", List.of("-Xmx256m"), Roomcast.class.getName(), List.of("producer",
                    "--kafka", bootstrap, "--group", group, "--namespace", "chat=" + topic, "--partitions", "2",
                    "--sim-seed", "7", "--sim-delay-ms", "40-40", "--sim-words", WORDS + "-" + WORDS, "--no-log-events",
                    "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "heartbeat.interval.ms=500"));
            await().atMost(WAIT).until(() -> child.output().contains("transactional writer ready"));
            Recorder aliceSees = new Recorder();
            alice.subscribe(room, From.latest(), aliceSees);
            await().atMost(WAIT).until(() -> aliceSees.live);

            alice.publish(room, Map.of("text", "tell me a long story about zombies"), PublishOptions.ofType("prompt")).get();
            await().atMost(WAIT).until(() -> aliceSees.types().stream().filter("token"::equals).count() >= 5);
            signal("STOP");
            // another room of the same partition: its events wait behind the stalled producer's open transaction
            String neighbour = neighbourOf(room, 2);
            Recorder neighbourSees = new Recorder();
            alice.subscribe(neighbour, From.latest(), neighbourSees);
            await().atMost(WAIT).until(() -> neighbourSees.live);
            long stalledAt = System.nanoTime();
            alice.publish(neighbour, Map.of("text", "while the producer is stopped")).get();

            ModelProducerConfig successorConfig = ModelProducerConfig.builder(bootstrap)
                    .groupId(group).namespaceTopics(Map.of("chat", topic)).partitions(2)
                    .sim(SimSettings.defaults().withSeed(7).withDelay(Duration.ofMillis(1), Duration.ofMillis(1)).withWords(WORDS, WORDS))
                    .logs(TestNames.unique("logs"), "logs:model-producer", false).build();
            try (ModelProducer successor = ModelProducer.start(successorConfig)) {
                await().atMost(WAIT).until(() -> aliceSees.types().contains("generation.done"));
                await().atMost(WAIT).until(() -> !neighbourSees.events.isEmpty());
                LoggerFactory.getLogger(ProducerFencingIT.class).atInfo()
                        .addKeyValue("heldBackMs", Duration.ofNanos(System.nanoTime() - stalledAt).toMillis())
                        .log("a neighbour room's message waited for the stalled producer's transaction to be aborted");
                signal("CONT");
                await().atMost(WAIT).until(() -> child.output().contains("fenced: another producer took the partition over"));
                await().atMost(WAIT).until(() -> child.output().contains("partitions lost"));
                assertThat(successor.isRunning()).isTrue();
            }
            // a marker written after the zombie gave up: whatever the zombie got through would arrive before it
            alice.publish(room, Map.of("text", "after the zombie woke up")).get();
            await().atMost(WAIT).until(() -> aliceSees.types().contains("message"));

            List<RoomEvent> answer = aliceSees.events.stream().filter(e -> e.type().startsWith("generation.") || e.type().equals("token")).toList();
            assertThat(answer.get(0).type()).isEqualTo("generation.started");
            int marker = IntStream.range(0, answer.size()).filter(i -> answer.get(i).type().equals("generation.restarted")).findFirst().orElseThrow();
            List<RoomEvent> cutOff = answer.subList(1, marker);
            assertThat(cutOff).allMatch(e -> e.type().equals("token"));
            assertThat(cutOff).extracting(e -> e.data().path("seq").asInt()).containsExactlyElementsOf(IntStream.range(0, cutOff.size()).boxed().toList());
            List<RoomEvent> afterMarker = answer.subList(marker + 1, answer.size());
            assertThat(afterMarker).extracting(RoomEvent::type).containsExactlyElementsOf(expectedAfterMarker());
            assertThat(afterMarker.subList(0, WORDS)).extracting(e -> e.data().path("seq").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, WORDS).boxed().toList());
            String text = afterMarker.subList(0, WORDS).stream().map(e -> e.data().path("text").asText()).reduce("", String::concat);
            assertThat(afterMarker.get(afterMarker.size() - 1).data().path("text").asText()).isEqualTo(text);

            try (RoomcastClient carol = RoomcastClient.connect(URI.create(edge.wsUrl()), ClientOptions.ofDefaults())) {
                Recorder carolSees = new Recorder();
                carol.subscribe(room, From.earliest(), carolSees);
                await().atMost(WAIT).until(() -> carolSees.types().contains("message"));
                // the replay (the edge's history reader, across the zombie's aborted records) equals the live view
                assertThat(carolSees.offsets()).isEqualTo(aliceSees.offsets());
                assertThat(carolSees.types()).isEqualTo(aliceSees.types());
            }
        }
    }

    /** A room in the same partition as {@code room}. */
    private static String neighbourOf(String room, int partitions) {
        int target = RoomPartitioner.partition(RoomName.of(room), partitions);
        for (int i = 0; ; i++) {
            String candidate = room + "-n" + i;
            if (RoomPartitioner.partition(RoomName.of(candidate), partitions) == target) {
                return candidate;
            }
        }
    }

    /** WORDS tokens, then exactly one terminal event and the assembled message. */
    private static List<String> expectedAfterMarker() {
        List<String> types = new ArrayList<>(Collections.nCopies(WORDS, "token"));
        types.add("generation.done");
        types.add("generation.message");
        return types;
    }

    private void signal(String name) throws Exception {
        assertThat(child.signal(name)).as("kill -%s", name).isTrue();
    }
}
