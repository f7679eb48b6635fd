package io.roomcast.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The same contract as the in-memory log, against a real Kafka broker. */
class KafkaHistoryReaderIT extends HistoryReaderContract {
    private static KafkaProducer<byte[], byte[]> producer;
    private static KafkaHistoryReader reader;
    private TopicPartition partition;

    @BeforeAll
    static void start() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
        reader = new KafkaHistoryReader(TestKafka.bootstrapServers(), Map.of(), 2, 100, HistoryLimits.DEFAULTS, new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        reader.close();
        producer.close();
    }

    @Override
    long append(RoomName room, long timestamp, String eventId) {
        if (partition == null) {
            partition = new TopicPartition(TestNames.unique("history"), 0);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1))).all().get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        ProducerRecord<byte[], byte[]> r = RecordLayout.toRecord(partition.topic(), room, "message", "{}".getBytes(StandardCharsets.UTF_8), eventId);
        try {
            return producer.send(new ProducerRecord<>(r.topic(), 0, timestamp, r.key(), r.value(), r.headers())).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    HistoryReader reader() {
        return reader;
    }

    @Override
    TopicPartition partition() {
        return partition;
    }

    @AfterEach
    void forget() {
        partition = null;
    }
}
