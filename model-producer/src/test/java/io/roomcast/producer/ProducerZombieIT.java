package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A producer process stalled in the middle of an answer (SIGSTOP, as a long GC pause or a network
 * partition) loses its partitions; another producer takes the prompt over and finishes the answer.
 * When the first one wakes up (SIGCONT) it is a zombie: it still believes it is answering and goes
 * on writing tokens, but the successor's transactional id fenced it. Readers of committed data
 * (the edges) see one complete answer after the restart marker and nothing from the zombie.
 */
@EnabledOnOs(OS.LINUX)
class ProducerZombieIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WORDS = 150;

    private final String namespace = "chat" + TestNames.unique();
    private final String topic = ModelProducerConfig.defaultTopic(namespace);
    private final String group = TestNames.unique("producers");
    private final String room = namespace + ":zombie";
    private ChildJvm child;

    @AfterEach
    void killChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void shouldFenceAStalledProducerSoOnlyTheSuccessorsAnswerIsSeen() throws Exception {
        child = ProducerProcess.start("producer-zombie", "--group", group, "--namespace", namespace, "--partitions", "2",
                "--sim-seed", "7", "--sim-delay-ms", "40-40", "--sim-words", WORDS + "-" + WORDS,
                "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "heartbeat.interval.ms=500");
        await().atMost(WAIT).until(() -> child.output().contains("transactional writer ready"));

        try (RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            String id = writer.prompt(room, "tell me a long story about zombies");
            await().atMost(WAIT).until(() -> tail.events(room, EventTypes.TOKEN).size() >= 5);
            signal("STOP");

            ModelProducerConfig config = ModelProducerConfig.builder(TestKafka.bootstrapServers())
                    .groupId(group).namespace(namespace).partitions(2)
                    .sim(SimSettings.defaults().withSeed(7).withDelay(Duration.ofMillis(1), Duration.ofMillis(1)).withWords(WORDS, WORDS))
                    .logs("roomcast.logs", "logs:model-producer", false)
                    .build();
            try (ModelProducer successor = ModelProducer.start(config)) {
                // the stalled member is evicted after its session timeout; then the successor answers
                await().atMost(WAIT).until(() -> tail.ended(room, id));

                signal("CONT");
                // the zombie wakes up mid-answer, tries to write its next tokens, and is refused
                await().atMost(WAIT).until(() -> child.output().contains("fenced"));
                await().atMost(WAIT).until(() -> child.output().contains("partitions lost"));
                assertThat(successor.isRunning()).isTrue();
                assertThat(child.isAlive()).isTrue();
            }

            List<Event> events = tail.events(room).stream().filter(e -> id.equals(e.generationId()))
                    .filter(e -> !EventTypes.MESSAGE.equals(e.type())).toList();
            assertThat(events.get(0).type()).isEqualTo(EventTypes.STARTED);
            int marker = IntStream.range(0, events.size()).filter(i -> EventTypes.RESTARTED.equals(events.get(i).type())).findFirst().orElseThrow();
            List<Event> firstAttempt = events.subList(1, marker);
            List<Event> afterMarker = events.subList(marker + 1, events.size());
            assertThat(firstAttempt).allMatch(e -> EventTypes.TOKEN.equals(e.type()));
            assertThat(firstAttempt).extracting(e -> e.data().path("seq").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, firstAttempt.size()).boxed().toList());
            // exactly one complete answer after the marker: seq 0..WORDS-1 once each, one terminal event, nothing else
            List<Event> tokens = afterMarker.subList(0, afterMarker.size() - 1);
            assertThat(tokens).allMatch(e -> EventTypes.TOKEN.equals(e.type()));
            assertThat(tokens).extracting(e -> e.data().path("seq").asInt()).containsExactlyElementsOf(IntStream.range(0, WORDS).boxed().toList());
            assertThat(afterMarker.get(afterMarker.size() - 1).type()).isEqualTo(EventTypes.DONE);
            assertThat(events).filteredOn(e -> EventTypes.TERMINAL.contains(e.type())).hasSize(1);
            assertThat(events).filteredOn(e -> EventTypes.RESTARTED.equals(e.type())).hasSize(1);
            assertThat(tail.events(room, EventTypes.MESSAGE)).hasSize(1);
            assertThat(tail.message(room, id).data().path("text").asText()).isEqualTo(tail.answer(room, id));
        }
    }

    /**
     * A short stall (a GC pause) within the session timeout: the partition stays, the stalled
     * producer's open transaction holds back readers of the partition — another room's event too —
     * until it wakes up and commits; the answer then goes on as if nothing happened.
     */
    @Test
    void shouldHoldThePartitionBackDuringAShortStallAndGoOnAfterIt() throws Exception {
        child = ProducerProcess.start("producer-stall", "--group", group, "--namespace", namespace, "--partitions", "1",
                "--sim-seed", "7", "--sim-delay-ms", "40-40", "--sim-words", WORDS + "-" + WORDS,
                "--kafka-property", "session.timeout.ms=45000",
                // a long commit interval: the stall surely hits an open transaction
                "--commit-interval", "PT2S");
        await().atMost(WAIT).until(() -> child.output().contains("transactional writer ready"));
        try (RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            String id = writer.prompt(room, "a story interrupted by a pause");
            await().atMost(WAIT).until(() -> tail.events(room, EventTypes.TOKEN).size() >= 5);
            signal("STOP");
            String neighbour = namespace + ":neighbour";
            writer.publish(neighbour, "message", "{\"text\":\"meanwhile\"}");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> tail.events(neighbour).isEmpty());
            signal("CONT");
            await().atMost(WAIT).until(() -> !tail.events(neighbour).isEmpty());
            await().atMost(WAIT).until(() -> tail.ended(room, id));
            List<Event> events = tail.events(room).stream().filter(e -> id.equals(e.generationId()))
                    .filter(e -> !EventTypes.MESSAGE.equals(e.type())).toList();
            assertThat(events).extracting(Event::type).doesNotContain(EventTypes.RESTARTED);
            assertThat(events.subList(1, events.size() - 1)).extracting(e -> e.data().path("seq").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, WORDS).boxed().toList());
            assertThat(events.get(events.size() - 1).type()).isEqualTo(EventTypes.DONE);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        assertThat(child.signal(name)).as("kill -" + name).isTrue();
    }
}
