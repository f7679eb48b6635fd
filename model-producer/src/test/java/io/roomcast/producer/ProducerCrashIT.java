package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A producer process killed in the middle of an answer (SIGKILL: no cleanup, no commit): the
 * next owner of the partition announces {@code generation.restarted} and streams the whole
 * answer again from {@code seq} 0, ending with exactly one terminal event.
 */
class ProducerCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String namespace = "chat" + TestNames.unique();
    private final String topic = ModelProducerConfig.defaultTopic(namespace);
    private final String group = TestNames.unique("producers");
    private final String room = namespace + ":crash";
    private ChildJvm child;

    @AfterEach
    void killChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void shouldRestartAnAnswerCutOffByACrashWithAMarkerAndStreamItCompletely() throws Exception {
        child = ProducerProcess.start("producer-child", "--group", group, "--namespace", namespace, "--partitions", "2",
                "--sim-seed", "7", "--sim-delay-ms", "30-30", "--sim-words", "120-120",
                "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "heartbeat.interval.ms=500");
        await().atMost(WAIT).until(() -> child.output().contains("partitions assigned"));

        try (RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            String id = writer.prompt(room, "tell me a long story about crashes");
            await().atMost(WAIT).until(() -> tail.events(room, EventTypes.TOKEN).size() >= 5);
            assertThat(child.kill()).isTrue();

            ModelProducerConfig config = ModelProducerConfig.builder(TestKafka.bootstrapServers())
                    .groupId(group).namespace(namespace).partitions(2)
                    .sim(SimSettings.defaults().withSeed(7).withDelay(Duration.ofMillis(1), Duration.ofMillis(1)).withWords(120, 120))
                    .logs("roomcast.logs", "logs:model-producer", false)
                    .kafkaOverrides(Map.of())
                    .build();
            try (ModelProducer successor = ModelProducer.start(config)) {
                await().atMost(WAIT).until(() -> tail.ended(room, id));
                assertThat(successor.isRunning()).isTrue();
            }

            List<Event> events = tail.events(room).stream().filter(e -> id.equals(e.generationId()))
                    .filter(e -> !EventTypes.MESSAGE.equals(e.type())).toList();
            assertThat(events.get(0).type()).isEqualTo(EventTypes.STARTED);
            int marker = IntStream.range(0, events.size()).filter(i -> EventTypes.RESTARTED.equals(events.get(i).type())).findFirst().orElseThrow();
            assertThat(events.get(marker).data().path("reason").asText()).isEqualTo("takeover");
            List<Event> firstAttempt = events.subList(1, marker);
            List<Event> secondAttempt = events.subList(marker + 1, events.size() - 1);
            assertThat(firstAttempt).allMatch(e -> EventTypes.TOKEN.equals(e.type()));
            assertThat(firstAttempt.size()).isBetween(5, 119);
            assertThat(firstAttempt).extracting(e -> e.data().path("seq").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, firstAttempt.size()).boxed().toList());
            assertThat(secondAttempt).allMatch(e -> EventTypes.TOKEN.equals(e.type()));
            assertThat(secondAttempt).extracting(e -> e.data().path("seq").asInt()).containsExactlyElementsOf(IntStream.range(0, 120).boxed().toList());
            assertThat(events.get(events.size() - 1).type()).isEqualTo(EventTypes.DONE);
            assertThat(events).filteredOn(e -> EventTypes.TERMINAL.contains(e.type())).hasSize(1);
            // the same seed gives the same answer: the cut-off tokens were a prefix of it
            String partial = firstAttempt.stream().map(e -> e.data().path("text").asText()).reduce("", String::concat);
            assertThat(tail.answer(room, id)).startsWith(partial);
            // the message holds the second attempt only: the tokens after the restart marker
            assertThat(tail.message(room, id).data().path("text").asText()).isEqualTo(tail.answer(room, id));
        }
    }
}
