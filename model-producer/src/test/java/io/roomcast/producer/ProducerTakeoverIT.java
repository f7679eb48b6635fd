package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new owner of a partition finds, in the room log, what a previous owner left behind before
 * the committed offset caught up: answered prompts are skipped, half-answered ones restarted
 * with a marker, untouched ones answered normally.
 */
class ProducerTakeoverIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldSkipAnsweredPromptsAndRestartUnfinishedOnes() throws Exception {
        String namespace = "chat" + TestNames.unique();
        String topic = ModelProducerConfig.defaultTopic(namespace);
        String group = TestNames.unique("producers");
        String roomA = namespace + ":a";
        String roomB = namespace + ":b";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String answered;
        String unfinished;
        String untouched;
        try (RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic)) {
            // what a previous owner wrote before it died, in the order it writes
            answered = writer.prompt(roomA, "already answered");
            writer.publish(roomA, EventTypes.STARTED, "{\"generationId\":\"" + answered + "\",\"promptOffset\":0,\"model\":\"sim\"}");
            writer.publish(roomA, EventTypes.TOKEN, "{\"generationId\":\"" + answered + "\",\"seq\":0,\"text\":\"Yes\"}");
            writer.publish(roomA, EventTypes.DONE, "{\"generationId\":\"" + answered + "\",\"finishReason\":\"stop\"}");
            unfinished = writer.prompt(roomB, "half answered");
            writer.publish(roomB, EventTypes.STARTED, "{\"generationId\":\"" + unfinished + "\",\"promptOffset\":4,\"model\":\"sim\"}");
            writer.publish(roomB, EventTypes.TOKEN, "{\"generationId\":\"" + unfinished + "\",\"seq\":0,\"text\":\"Half\"}");
            untouched = writer.prompt(roomA, "never seen");
        }
        commit(group, new TopicPartition(topic, 0), GenerationId.parse(answered).orElseThrow().offset());

        ModelProducerConfig config = ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .groupId(group).namespace(namespace)
                .sim(SimSettings.defaults().withDelay(Duration.ofMillis(1), Duration.ofMillis(2)).withWords(5, 8))
                .logs("roomcast.logs", "logs:model-producer", false)
                .build();
        try (ModelProducer producer = ModelProducer.start(config);
             RoomTail tail = new RoomTail(TestKafka.bootstrapServers(), topic)) {
            await().atMost(WAIT).until(() -> tail.ended(roomB, unfinished) && tail.events(roomA, EventTypes.DONE).size() == 2);
            assertThat(producer.isRunning()).isTrue();

            assertThat(ofGeneration(tail.events(roomA), answered)).extracting(Event::type)
                    .containsExactly(EventTypes.STARTED, EventTypes.TOKEN, EventTypes.DONE);
            List<Event> restarted = ofGeneration(tail.events(roomB), unfinished);
            assertThat(restarted).extracting(Event::type).startsWith(EventTypes.STARTED, EventTypes.TOKEN, EventTypes.RESTARTED, EventTypes.TOKEN);
            assertThat(restarted.get(3).data().path("seq").asInt()).isZero();
            assertThat(restarted.get(restarted.size() - 1).type()).isEqualTo(EventTypes.DONE);
            assertThat(restarted).filteredOn(e -> EventTypes.TERMINAL.contains(e.type())).hasSize(1);
            List<Event> fresh = ofGeneration(tail.events(roomA), untouched);
            assertThat(fresh.get(0).type()).isEqualTo(EventTypes.STARTED);
            assertThat(fresh).noneMatch(e -> EventTypes.RESTARTED.equals(e.type()));
            assertThat(fresh.get(fresh.size() - 1).type()).isEqualTo(EventTypes.DONE);
        }
    }

    private static List<Event> ofGeneration(List<Event> events, String id) {
        return events.stream().filter(e -> id.equals(e.generationId()) && !EventTypes.MESSAGE.equals(e.type())).toList();
    }

    private static void commit(String group, TopicPartition tp, long offset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        }
    }
}
