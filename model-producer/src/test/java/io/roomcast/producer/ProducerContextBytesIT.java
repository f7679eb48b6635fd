package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The context read holds at most its byte bound of a room's conversation events, the newest first:
 * a large old prompt is left out (and counted), the newer turns are kept. Against a real broker.
 */
class ProducerContextBytesIT {
    private final ObjectMapper json = new ObjectMapper();
    private final String topic = ModelProducerConfig.defaultTopic("chat" + TestNames.unique());
    private final String room = "chat:ctx";

    private ConversationReader reader(long maxContextBytes, AtomicInteger cuts) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        return new ConversationReader(() -> new KafkaConsumer<>(props), 1, json, new PromptParser(json, 100_000, 100), 20_000, 64 * 1024,
                Duration.ofSeconds(10), maxContextBytes, cuts::incrementAndGet);
    }

    /** A prompt and its whole answer; returns the prompt's generation id. */
    private static String turn(RoomWriter writer, String room, String prompt, String answer) {
        String id = writer.prompt(room, prompt);
        writer.publish(room, EventTypes.TOKEN, "{\"generationId\":\"" + id + "\",\"seq\":0,\"text\":\"" + answer + "\"}");
        writer.publish(room, EventTypes.DONE, "{\"generationId\":\"" + id + "\"}");
        return id;
    }

    private static RoomRecord promptRecord(String generationId, String text) {
        GenerationId id = GenerationId.parse(generationId).orElseThrow();
        return new RoomRecord(new TopicPartition(id.topic(), id.partition()), id.offset(), RoomName.of("chat:ctx"), EventTypes.PROMPT,
                ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void shouldKeepTheNewestTurnsThatFitAndLeaveOlderOnesOut() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String current;
        try (RoomWriter writer = new RoomWriter(TestKafka.bootstrapServers(), topic)) {
            turn(writer, room, "big " + "x".repeat(20_000), "first answer");
            turn(writer, room, "small", "second answer");
            current = writer.prompt(room, "now");
        }
        RoomRecord prompt = promptRecord(current, "now");

        AtomicInteger cuts = new AtomicInteger();
        try (ConversationReader roomy = reader(1024 * 1024, cuts)) {
            assertThat(roomy.recentTurns(prompt, 10)).extracting(Turn::answer).containsExactly("first answer", "second answer");
        }
        assertThat(cuts).hasValue(0);

        // 16 KiB: half for what follows the prompt (nothing here), the rest for the turns before it; the big prompt does not fit.
        try (ConversationReader tight = reader(16 * 1024, cuts)) {
            assertThat(tight.recentTurns(prompt, 10)).extracting(Turn::prompt).containsExactly("small");
        }
        assertThat(cuts).hasValue(1);
    }
}
