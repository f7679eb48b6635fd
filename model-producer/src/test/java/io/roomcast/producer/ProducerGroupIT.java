package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several producer processes share the prompts of many rooms through their consumer group. */
class ProducerGroupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 6;
    private static final int ROOMS = 40;

    @Test
    void shouldAnswerEachPromptExactlyOnceWhenTwoProducersShareTheWork() throws InterruptedException {
        String namespace = "chat" + TestNames.unique();
        String topic = ModelProducerConfig.defaultTopic(namespace);
        ModelProducerConfig config = ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .groupId(TestNames.unique("producers"))
                .namespace(namespace)
                .partitions(PARTITIONS)
                .sim(SimSettings.defaults().withDelay(Duration.ofMillis(1), Duration.ofMillis(3)).withWords(5, 12))
                .logs("roomcast.logs", "logs:model-producer", false)
                .build();
        try (ModelProducer first = ModelProducer.start(config);
             ModelProducer second = ModelProducer.start(config);
             RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            await().atMost(WAIT).until(() -> {
                Set<TopicPartition> a = first.assignment();
                Set<TopicPartition> b = second.assignment();
                Set<TopicPartition> union = new HashSet<>(a);
                union.addAll(b);
                return !a.isEmpty() && !b.isEmpty() && union.size() == PARTITIONS && a.size() + b.size() == PARTITIONS;
            });

            List<String> rooms = IntStream.range(0, ROOMS).mapToObj(i -> namespace + ":room-" + i).toList();
            List<String[]> prompts = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String room : rooms) {
                    prompts.add(new String[] {room, writer.prompt(room, "question " + round + " in " + room.substring(room.indexOf(':') + 1))});
                }
            }
            await().atMost(WAIT).until(() -> prompts.stream().allMatch(p -> tail.ended(p[0], p[1])));

            for (String room : rooms) {
                List<Event> events = tail.events(room);
                List<String> ids = prompts.stream().filter(p -> p[0].equals(room)).map(p -> p[1]).toList();
                assertThat(events).filteredOn(e -> EventTypes.TERMINAL.contains(e.type()))
                        .extracting(Event::type, Event::generationId)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventTypes.DONE, ids.get(0)),
                                org.assertj.core.groups.Tuple.tuple(EventTypes.DONE, ids.get(1)));
                assertThat(events).filteredOn(e -> EventTypes.STARTED.equals(e.type())).extracting(Event::generationId).containsExactlyElementsOf(ids);
                assertThat(events).noneMatch(e -> EventTypes.RESTARTED.equals(e.type()));
                for (String id : ids) {
                    List<Integer> seqs = events.stream().filter(e -> EventTypes.TOKEN.equals(e.type()) && id.equals(e.generationId()))
                            .map(e -> e.data().path("seq").asInt()).toList();
                    assertThat(seqs).containsExactlyElementsOf(IntStream.range(0, seqs.size()).boxed().toList());
                }
            }
        }
    }
}
