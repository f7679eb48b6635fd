package io.roomcast.producer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away in the middle of an answer: the producer does not pile the answer up in
 * memory, and once Kafka is back the generation ends cleanly with {@code generation.error}
 * ({@code unavailable}) — the room never shows a silently truncated answer as done.
 */
class ProducerKafkaOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldEndAnAnswerInterruptedByAKafkaOutageWithAnErrorOnceKafkaIsBack() throws Exception {
        EmbeddedKafka kafka = TestKafka.startPrivate(dir);
        String namespace = "chat" + TestNames.unique();
        String topic = ModelProducerConfig.defaultTopic(namespace);
        String room = namespace + ":outage";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ModelProducerConfig config = ModelProducerConfig.builder(kafka.bootstrapServers())
                .groupId(TestNames.unique("producers"))
                .namespace(namespace)
                .partitions(1)
                .sim(SimSettings.defaults().withDelay(Duration.ofMillis(10), Duration.ofMillis(10)).withWords(2000, 2000))
                .sendTimeout(Duration.ofSeconds(2))
                .maxInFlightSends(64)
                .logs("roomcast.logs", "logs:model-producer", false)
                .build();
        ModelProducer producer = ModelProducer.start(config, registry);
        try {
            assertThat(producer.awaitAssignment(WAIT)).isTrue();
            String id;
            try (RoomWriter writer = new RoomWriter(kafka.bootstrapServers(), topic);
                 RoomTail tail = new RoomTail(kafka.bootstrapServers(), topic)) {
                id = writer.prompt(room, "keep talking");
                await().atMost(WAIT).until(() -> tail.events(room, EventTypes.TOKEN).size() >= 5);
            }
            kafka.close();
            await().atMost(WAIT).until(() -> registry.counter("roomcast.producer.publish.failures", "backend", "sim").count() > 0);
            kafka = TestKafka.startPrivate(dir);

            try (RoomTail tail = new RoomTail(kafka.bootstrapServers(), topic)) {
                await().atMost(WAIT).until(() -> tail.ended(room, id));
                List<Event> terminals = tail.events(room).stream()
                        .filter(e -> id.equals(e.generationId()) && EventTypes.TERMINAL.contains(e.type())).toList();
                assertThat(terminals).hasSize(1);
                assertThat(terminals.get(0).type()).isEqualTo(EventTypes.ERROR);
                assertThat(terminals.get(0).data().path("code").asText()).isEqualTo("unavailable");
                assertThat(tail.events(room, EventTypes.TOKEN).size()).isLessThan(2000);
            }
        } finally {
            producer.close();
            kafka.close();
        }
    }
}
