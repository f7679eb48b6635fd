package io.roomcast.edge;

import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Writes records the way any plain Kafka producer would, for tests. */
final class KafkaRoom implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    private final Namespaces namespaces;

    KafkaRoom(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** Writes one record and returns its offset. */
    long write(RoomName room, String type, byte[] value, Long timestamp) {
        return write(namespaces.of(room).topic(), room.keyBytes(), type, value, timestamp);
    }

    long write(String topic, byte[] key, String type, byte[] value, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        if (type != null) {
            headers.add("type", type.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value, headers)).get().offset();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    long json(RoomName room, String json) {
        return write(room, null, json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Writes {@code count} messages {"n":i} and returns their offsets. */
    List<Long> messages(RoomName room, int count) {
        List<Long> offsets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            offsets.add(json(room, "{\"n\":" + i + "}"));
        }
        return offsets;
    }

    @Override
    public void close() {
        producer.close();
    }
}
