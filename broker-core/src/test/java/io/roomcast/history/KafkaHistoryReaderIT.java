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
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /**
     * An aborted transaction (a fenced model producer's tokens) leaves offsets a read_committed
     * reader never gets; a backward window that ends inside them must still end, and the scan finds
     * the room's events on both sides.
     */
    @Test
    void shouldScanBackwardsAcrossAnAbortedTransaction() throws Exception {
        RoomName room = RoomName.of("chat:aborted");
        RoomName other = RoomName.of("chat:busy");
        long first = append(room, System.currentTimeMillis(), null);
        try (KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("zombie")), new ByteArraySerializer(), new ByteArraySerializer())) {
            zombie.initTransactions();
            zombie.beginTransaction();
            for (int i = 0; i < 200; i++) {
                zombie.send(RecordLayout.toRecord(partition.topic(), room, "token", "{}".getBytes(StandardCharsets.UTF_8), null));
            }
            zombie.flush();
            zombie.abortTransaction();
        }
        for (int i = 0; i < 950; i++) {
            producer.send(RecordLayout.toRecord(partition.topic(), other, "message", "{}".getBytes(StandardCharsets.UTF_8), null));
        }
        long last = append(room, System.currentTimeMillis(), null);
        // abortTransaction returns before the coordinator's abort marker reaches the partition; until it
        // does, a read_committed reader's end (the last stable offset) stays at the zombie's first record.
        await().atMost(Duration.ofSeconds(30)).until(() -> reader.bounds(partition).get(30, TimeUnit.SECONDS).end() > last);
        long end = reader.bounds(partition).get(30, TimeUnit.SECONDS).end();

        assertThat(reader.startOfLast(partition, room, 2, end).get(30, TimeUnit.SECONDS)).isEqualTo(first);
        assertThat(reader.startOfLast(partition, room, 10, end).get(30, TimeUnit.SECONDS)).isEqualTo(reader.bounds(partition).get().logStart());
        // A read may return early when its time share runs out; the caller goes on from next.
        List<Long> found = new ArrayList<>();
        long at = first;
        while (at < end) {
            HistoryChunk chunk = reader.read(partition, room, at, end, 100).get(30, TimeUnit.SECONDS);
            assertThat(chunk.next()).as("a read moves on").isGreaterThan(at);
            chunk.events().forEach(e -> found.add(e.offset()));
            at = chunk.next();
        }
        assertThat(found).containsExactly(first, last);
    }

    @AfterEach
    void forget() {
        partition = null;
    }
}
