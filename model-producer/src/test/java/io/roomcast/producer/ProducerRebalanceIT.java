package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second producer joins while the first is answering: the partitions that move are handed
 * over mid-answer, and every answer still ends exactly once, a moved one after a restart marker.
 */
class ProducerRebalanceIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldHandAnswersOverCleanlyWhenAProducerJoins() throws InterruptedException {
        String namespace = "chat" + TestNames.unique();
        String topic = ModelProducerConfig.defaultTopic(namespace);
        ModelProducerConfig config = ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .groupId(TestNames.unique("producers"))
                .namespace(namespace)
                .partitions(4)
                .sim(SimSettings.defaults().withDelay(Duration.ofMillis(20), Duration.ofMillis(20)).withWords(100, 100))
                .logs("roomcast.logs", "logs:model-producer", false)
                .build();
        try (ModelProducer first = ModelProducer.start(config);
             RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            assertThat(first.awaitAssignment(WAIT)).isTrue();
            List<String[]> prompts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String room = namespace + ":r" + i;
                prompts.add(new String[] {room, writer.prompt(room, "a story about rebalancing number " + i)});
            }
            await().atMost(WAIT).until(() -> prompts.stream().filter(p -> !tail.events(p[0], EventTypes.TOKEN).isEmpty()).count() >= 4);

            try (ModelProducer second = ModelProducer.start(config)) {
                await().atMost(WAIT).until(() -> !second.assignment().isEmpty());
                await().atMost(WAIT).until(() -> prompts.stream().allMatch(p -> tail.ended(p[0], p[1])));
            }

            for (String[] prompt : prompts) {
                List<Event> events = tail.events(prompt[0]).stream().filter(e -> prompt[1].equals(e.generationId()))
                        .filter(e -> !EventTypes.MESSAGE.equals(e.type())).toList();
                assertThat(tail.message(prompt[0], prompt[1]).data().path("text").asText()).isEqualTo(tail.answer(prompt[0], prompt[1]));
                assertThat(events).filteredOn(e -> EventTypes.TERMINAL.contains(e.type())).extracting(Event::type).containsExactly(EventTypes.DONE);
                assertThat(events.get(events.size() - 1).type()).isEqualTo(EventTypes.DONE);
                int lastRestart = IntStream.range(0, events.size()).filter(i -> EventTypes.RESTARTED.equals(events.get(i).type())).max().orElse(0);
                List<Integer> seqs = events.subList(lastRestart, events.size()).stream()
                        .filter(e -> EventTypes.TOKEN.equals(e.type())).map(e -> e.data().path("seq").asInt()).toList();
                assertThat(seqs).as(prompt[1]).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
                // without a marker, one attempt only: no token may appear twice
                assertThat(events.stream().filter(e -> EventTypes.TOKEN.equals(e.type())).count())
                        .isEqualTo(100 + events.subList(0, lastRestart).stream().filter(e -> EventTypes.TOKEN.equals(e.type())).count());
            }
        }
    }
}
